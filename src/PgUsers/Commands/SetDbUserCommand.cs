using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Changes users: only the columns given (as named parameters, or as properties of the pipeline
/// object) are set. Changes go in batches, all in one transaction: every change lands or none does.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DbUser", SupportsShouldProcess = true)]
[OutputType(typeof(User))]
public sealed class SetDbUserCommand : UserChangeCmdlet
{
    private const int BatchSize = 10_000;
    private const int ProgressEvery = 10_000;
    private readonly UserUpdates _updates = new();
    private long _changed;
    private BatchProgress? _progress;

    /// <summary>A PgUsers.User piped with named values gives only its key: the named values are the change.</summary>
    private protected override UserBinder CreateBinder(object?[] named) => new(named) { StoredUsersGiveKeyOnly = true };

    /// <inheritdoc />
    private protected override void Check(UserRecord record)
    {
        if (record.Problem is null && !UserTable.Settable.Any(record.Has))
        {
            record.Refuse($"it gives nothing to set: give {string.Join(", ", UserTable.Settable.Select(c => "-" + c.PsName))} or properties of those names");
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (NextRecord() is not { } record) return;
        long id = record.Id!.Value;
        var columns = UserTable.Settable.Where(record.Has).Select(c => c.Name);
        if (!ShouldProcess(id.ToString(System.Globalization.CultureInfo.InvariantCulture), "Set " + string.Join(", ", columns))) return;
        _updates.Add(record);
        // Inside a session an upstream read may hold the connection; the changes wait for it.
        if (_updates.Count >= BatchSize && !ConnectionBusy) Flush();
        if (record.Number % ProgressEvery == 0)
        {
            _progress ??= new BatchProgress(this, 2, "Set-DbUser", "Changing users");
            _progress.Show($"{record.Number} users read, {_changed} changed");
        }
    }

    private void Flush()
    {
        if (_updates.Count == 0) return;
        List<long> missing = new();
        try
        {
            Unit.Begin();
            missing = _updates.Run(Unit.Link, user =>
            {
                _changed++;
                if (PassThru) WriteObject(user);
            }, Cancellation);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, null);
        }
        foreach (long id in missing)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No user with TelegramId {id}; nothing was set."),
                "PgUsers.UserNotFound", ErrorCategory.ObjectNotFound, id));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_updates.Count == 0 && !HasUnit) return;
        try
        {
            Flush();
            CompleteUnit($"Changed {_changed} users");
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
}
