using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>
/// Adds users, one per pipeline object (CSV columns such as telegram_id bind by name), loaded with
/// binary COPY in batches inside one transaction: all of them land, or none do.
/// </summary>
[Cmdlet(VerbsCommon.Add, "DbUser", SupportsShouldProcess = true)]
[OutputType(typeof(User))]
public sealed class AddDbUserCommand : UserChangeCmdlet
{
    private const int BatchSize = 10_000;
    private const int ProgressEvery = 10_000;
    private const int MaxText = 255;
    private readonly List<User> _batch = new();
    private readonly HashSet<long> _seen = new();
    private UserLoad? _load;
    private long _received;
    private ProgressRecord? _progress;
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
    protected override void ProcessRecord()
    {
        _received++;
        if (Invalid() is { } problem)
        {
            WriteError(new ErrorRecord(new ArgumentException($"User {TelegramId} was not added: {problem}"),
                "PgUsers.InvalidUser", ErrorCategory.InvalidData, TelegramId));
            return;
        }
        if (OnConflict == UserConflictAction.Error && !_seen.Add(TelegramId))
        {
            // Stop at once: the rest of the input cannot change the outcome.
            Fail(new ErrorRecord(new ArgumentException(
                $"Input object {_received} repeats telegram_id {TelegramId}; nothing was added. Use -OnConflict Skip (first wins) or Update (last wins) to allow repeats."),
                "PgUsers.DuplicateUser", ErrorCategory.ResourceExists, TelegramId));
        }
        if ((_askEach ??= ShouldProcessCanRefuse()) && !ShouldProcess($"{TelegramId} ({FullName})", "Add user")) return;
        _batch.Add(new User(TelegramId, FullName!, Username, LanguageCode!, CreatedAt, ReferrerId));
        if (_batch.Count >= BatchSize && !ConnectionBusy) Send();
        if (_received % ProgressEvery == 0) Progress($"{_received} users read, {_load?.Sent ?? 0} sent");
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_batch.Count == 0 && !HasUnit)
        {
            EndProgress();
            return;
        }
        try
        {
            Send();
            if (_progress is not null) Progress($"Inserting {_load!.Sent} users into users");
            var (inserted, updated) = _load!.Insert(OnConflict);
            if (PassThru)
            {
                foreach (var user in _load.ReadBack()) WriteObject(user);
            }
            _load.Drop();
            long skipped = _load.Sent - inserted - updated;
            Complete($"Added {inserted} users" + (updated > 0 ? $", updated {updated}" : "") + (skipped > 0 ? $", {skipped} already there or repeated (skipped)" : ""));
        }
        catch (DbSqlException e) when (UserLoad.DuplicateId(e) is long id)
        {
            Fail(new ErrorRecord(new ArgumentException(
                $"telegram_id {id} already exists in users; nothing was added. Use -OnConflict Skip to keep the stored user or -OnConflict Update to overwrite it.", e),
                "PgUsers.DuplicateUser", ErrorCategory.ResourceExists, id));
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Fail(e, null);
        }
        finally
        {
            Release();
            EndProgress();
        }
    }

    private void EndProgress()
    {
        if (_progress is null) return;
        _progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(_progress);
    }

    private void Send()
    {
        try
        {
            _load ??= new UserLoad(Unit.Link, Cancellation);
            _load.Copy(_batch);
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Fail(e, null);
        }
    }

    private void Progress(string status)
    {
        _progress ??= new ProgressRecord(1, "Add-DbUser", status);
        _progress.StatusDescription = status;
        WriteProgress(_progress);
    }

    private string? Invalid()
    {
        if (FullName is null) return "it has no full_name, and the column is NOT NULL.";
        if (LanguageCode is null) return "it has no language_code, and the column is NOT NULL.";
        if (FullName.Length > MaxText || Username?.Length > MaxText || LanguageCode.Length > MaxText)
        {
            return $"full_name, username and language_code hold at most {MaxText} characters.";
        }
        return null;
    }
}
