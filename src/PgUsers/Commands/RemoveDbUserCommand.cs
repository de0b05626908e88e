using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Removes users by id, in one transaction. The users they referred stay, with ReferrerId
/// cleared (the table's ON DELETE SET NULL). Removing more than one user asks first, unless
/// -Force or -Confirm:$false says not to.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "DbUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(User))]
public sealed class RemoveDbUserCommand : DbCmdlet
{
    private const int ChunkSize = 10_000;
    private readonly List<long> _ids = new();
    private readonly HashSet<long> _queued = new();
    // Only the key matters; a bare number or string is the key itself.
    private readonly UserBinder _binder = new(UserBinder.NewAbsent()) { ScalarIsKey = true };

    /// <summary>Users to remove, one per pipeline object: PgUsers.User objects, ids, or objects with the key property.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Remove the users whose key is valid and write one error per invalid record, instead of failing the whole command.</summary>
    [Parameter]
    public SwitchParameter SkipInvalid { get; set; }

    /// <summary>The users to remove, by id (or pipe users, ids, or objects with the key property).</summary>
    [Parameter(Position = 0)]
    [Alias("Id")]
    [UserValue(nameof(User.TelegramId), Many = true)]
    public long[] TelegramId { get; set; } = Array.Empty<long>();

    /// <summary>Remove several users without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Return the removed users as they were.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!MyInvocation.ExpectingInput)
        {
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(TelegramId)))
            {
                Fail(DbErrors.Argument("PgUsers.NoUserGiven", "Give -TelegramId, or pipe users (or their ids) into Remove-DbUser.", null));
            }
            foreach (long id in TelegramId) Queue(id);
            return;
        }
        var record = _binder.Bind(InputObject);
        if (record.Problem is null)
        {
            Queue(record.Id!.Value);
            return;
        }
        var error = record.Error(piped: true, SkipInvalid, InputObject);
        if (!SkipInvalid) Fail(error);
        WriteError(error);
    }

    private void Queue(long id)
    {
        if (_queued.Contains(id)) return;
        if (ShouldProcess(id.ToString(System.Globalization.CultureInfo.InvariantCulture), "Remove user"))
        {
            _queued.Add(id);
            _ids.Add(id);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_ids.Count == 0 || !ConfirmMany()) return;
        var removed = new HashSet<long>();
        long orphaned = 0;
        try
        {
            Unit.Begin();
            using var progress = new BatchProgress(this, 3, "Remove-DbUser", "Removing users");
            int done = 0;
            foreach (var chunk in _ids.Chunk(ChunkSize))
            {
                if (_ids.Count > ChunkSize) progress.Show($"{done} of {_ids.Count} users", (int)(100L * done / _ids.Count));
                done += chunk.Length;
                var args = new KeyValuePair<string, object?>[] { new("ids", chunk) };
                orphaned += Convert.ToInt64(Unit.Link.ExecuteScalar(new DbStatement(
                    $"SELECT count(*) FROM {UserTable.Name} WHERE {UserTable.Referrer} = ANY(@ids) AND {UserTable.Key} <> ALL(@ids)", args), Cancellation));
                var delete = new DbStatement($"DELETE FROM {UserTable.Name} WHERE {UserTable.Key} = ANY(@ids) RETURNING {UserTable.Select}", args);
                foreach (var user in UserRows.Read(Unit.Link, delete, Cancellation))
                {
                    removed.Add(user.TelegramId);
                    if (PassThru) WriteObject(user);
                }
            }
            CompleteUnit();
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, null);
        }
        WriteVerbose($"Removed {removed.Count} users; {orphaned} users they referred stay, with no referrer now.");
        foreach (long id in _ids.Where(id => !removed.Contains(id)))
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No user with TelegramId {id}; nothing to remove."),
                "PgUsers.UserNotFound", ErrorCategory.ObjectNotFound, id));
        }
    }

    /// <summary>
    /// Each user already went through ShouldProcess (-WhatIf, -Confirm, $ConfirmPreference). A bulk
    /// removal asks once more for the whole set, as Remove-Item does for a folder's contents, unless
    /// the caller said -Force, -Confirm either way (they have answered per user already), or
    /// $ConfirmPreference = 'None'.
    /// </summary>
    private bool ConfirmMany()
    {
        if (_ids.Count <= 1 || Force || MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
        // $ConfirmPreference = 'None' is how unattended scripts say "never ask".
        // A local assignment holds the string 'None'; convert as PowerShell does.
        if (LanguagePrimitives.TryConvertTo(GetVariableValue("ConfirmPreference"), out ConfirmImpact preference) && preference == ConfirmImpact.None) return true;
        string question = $"Remove {_ids.Count} users ({string.Join(", ", _ids.Take(5))}{(_ids.Count > 5 ? ", ..." : "")})? The users they referred stay, with no referrer.";
        bool yes;
        try
        {
            yes = ShouldContinue(question, "Remove-DbUser");
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            // A host that cannot ask (a scheduled job, CI) must not remove in bulk silently.
            Fail(new ErrorRecord(new InvalidOperationException(
                $"Remove-DbUser would remove {_ids.Count} users and needs confirmation, but this host cannot ask. Pass -Force (or -Confirm:$false) to remove them unattended.", e),
                "PgUsers.ConfirmationRequired", ErrorCategory.PermissionDenied, _ids.Count));
            return false;
        }
        if (!yes) WriteVerbose($"Nothing removed: the removal of {_ids.Count} users was not confirmed.");
        return yes;
    }
}
