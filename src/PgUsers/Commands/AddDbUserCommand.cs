using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Adds users, one per pipeline object (or one from the named parameters), loaded with one binary
/// COPY inside one transaction: all of them land, or none do.
/// </summary>
[Cmdlet(VerbsCommon.Add, "DbUser", SupportsShouldProcess = true)]
[OutputType(typeof(User))]
public sealed class AddDbUserCommand : UserChangeCmdlet
{
    private const int ProgressEvery = 10_000;
    // Records held while an upstream reader in the same session still has the connection.
    private readonly List<UserRecord> _waiting = new();
    // Input record of each id (for repeats and for naming the record a server error is about), and of each referrer's first use.
    private readonly Dictionary<long, long> _recordOfId = new();
    private readonly Dictionary<long, long> _recordOfReferrer = new();
    private UserLoad? _load;
    private long _accepted;
    private BatchProgress? _progress;
    private bool? _askEach;

    /// <summary>What to do when an id is already taken: Error (default), Skip (keep the stored user) or Update (upsert).</summary>
    [Parameter]
    public UserConflictAction OnConflict { get; set; } = UserConflictAction.Error;

    /// <summary>
    /// False when ShouldProcess would say yes to every record without a word (no -WhatIf, no
    /// confirmation due, nothing for -Verbose to report): then a million-row load skips a million calls.
    /// </summary>
    private bool ShouldProcessCanRefuse()
    {
        var bound = MyInvocation.BoundParameters;
        if (bound.ContainsKey("WhatIf") || bound.ContainsKey("Confirm") || bound.ContainsKey("Verbose")) return true;
        var variables = SessionState.PSVariable;
        if (LanguagePrimitives.IsTrue(variables.GetValue("WhatIfPreference"))) return true;
        if (variables.GetValue("VerbosePreference") is not ActionPreference.SilentlyContinue and not ActionPreference.Ignore) return true;
        // Add-DbUser's ConfirmImpact is Medium: it asks only when $ConfirmPreference is Medium or Low.
        return variables.GetValue("ConfirmPreference") is ConfirmImpact preference && preference != ConfirmImpact.None && preference <= ConfirmImpact.Medium;
    }

    /// <inheritdoc />
    private protected override UserBinder CreateBinder(object?[] named) => new(named);

    /// <inheritdoc />
    private protected override void Check(UserRecord record)
    {
        foreach (var column in UserTable.Columns)
        {
            if (!column.Nullable && column.DefaultSql is null && !record.Has(column)) record.Refuse($"it has no {column.Name} (or {column.PsName}), and the column is NOT NULL");
        }
        if (record.Problem is null && OnConflict == UserConflictAction.Error && record.Id is long id && _recordOfId.TryGetValue(id, out long first))
        {
            record.Refuse($"it repeats {UserTable.Key.Name} {id} of input record {first} (-OnConflict Skip keeps the first, Update the last)", "PgUsers.DuplicateUser");
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (NextRecord() is not { } record) return;
        long id = record.Id!.Value;
        if ((_askEach ??= ShouldProcessCanRefuse()) && !ShouldProcess($"{id} ({record[UserTable.FullName]})", "Add user")) return;
        _recordOfId.TryAdd(id, record.Number);
        if (record[UserTable.Referrer] is long referrer) _recordOfReferrer.TryAdd(referrer, record.Number);
        _accepted++;
        if (_load is null && ConnectionBusy)
        {
            _waiting.Add(record);
        }
        else
        {
            Send(record);
        }
        if (record.Number % ProgressEvery == 0) Progress.Show($"{record.Number} users read, {_accepted} queued");
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_accepted == 0 && !HasUnit)
        {
            _progress?.Dispose();
            return;
        }
        try
        {
            foreach (var record in _waiting) Send(record);
            _waiting.Clear();
            _progress?.Show($"Adding {_accepted} users to {UserTable.Name}");
            if (SkipInvalid && OnConflict == UserConflictAction.Error) SkipConflicts();
            var (inserted, updated) = _load!.Finish(OnConflict);
            if (PassThru)
            {
                foreach (var user in _load.ReadBack()) WriteObject(user);
            }
            _load.Drop();
            _load = null;
            long skipped = _accepted - inserted - updated;
            CompleteUnit($"Added {inserted} users" + (updated > 0 ? $", updated {updated}" : "") + (skipped > 0 ? $", {skipped} already there or repeated (skipped)" : ""));
        }
        catch (DbSqlException e) when (UserLoad.Violation(e) is { } violation)
        {
            Fail(ViolationError(e, violation.Column, violation.Value));
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, null);
        }
        finally
        {
            ReleaseUnit();
            _progress?.Dispose();
        }
    }

    /// <summary>-SkipInvalid: what the server would refuse (an id already there, a referrer nowhere) is left out, one error each.</summary>
    private void SkipConflicts()
    {
        foreach (var (record, id, referrer) in _load!.TakeOutConflicts())
        {
            _accepted--;
            WriteError(referrer is long missing
                ? new ErrorRecord(new ArgumentException($"Input record {record} was not added: its {UserTable.Referrer.Name} {missing} is neither in {UserTable.Name} nor among the records added."),
                    "PgUsers.ReferrerNotFound", ErrorCategory.ObjectNotFound, id)
                : new ErrorRecord(new ArgumentException($"Input record {record} was not added: {UserTable.Key.Name} {id} already exists in {UserTable.Name}."),
                    "PgUsers.DuplicateUser", ErrorCategory.ResourceExists, id));
        }
    }

    /// <summary>A duplicate key or a missing referrer, naming the input record it came from.</summary>
    private ErrorRecord ViolationError(DbSqlException e, string column, long value)
    {
        if (column == UserTable.Referrer.Name)
        {
            string where = _recordOfReferrer.TryGetValue(value, out long r) ? $"Input record {r} refers" : "A record refers";
            return new ErrorRecord(new ArgumentException(
                $"{where} to {UserTable.Referrer.Name} {value}, which is neither in {UserTable.Name} nor in the input; nothing was added.", e),
                "PgUsers.ReferrerNotFound", ErrorCategory.ObjectNotFound, value);
        }
        string which = _recordOfId.TryGetValue(value, out long n) ? $"Input record {n}: " : "";
        return new ErrorRecord(new ArgumentException(
            $"{which}{UserTable.Key.Name} {value} already exists in {UserTable.Name}; nothing was added. Use -OnConflict Skip to keep the stored user or -OnConflict Update to overwrite it.", e),
            "PgUsers.DuplicateUser", ErrorCategory.ResourceExists, value);
    }

    private void Send(UserRecord record)
    {
        try
        {
            // Skip, Update, -PassThru and -SkipInvalid need the staging table; a plain load goes straight into users.
            if (_load is null) Unit.Begin();
            _load ??= new UserLoad(Unit.Link, staged: OnConflict != UserConflictAction.Error || PassThru || SkipInvalid, Cancellation);
            _load.Add(record);
        }
        catch (DbSqlException e) when (UserLoad.Violation(e) is { } violation)
        {
            Fail(ViolationError(e, violation.Column, violation.Value));
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, null);
        }
    }

    /// <inheritdoc />
    private protected override void ReleaseWork()
    {
        _load?.Dispose();
        _load = null;
    }

    private BatchProgress Progress => _progress ??= new BatchProgress(this, 1, "Add-DbUser", "Reading users");
}
