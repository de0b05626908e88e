using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>
/// Adds users, one per pipeline object (CSV columns such as telegram_id bind by name), loaded with
/// binary COPY in batches inside one transaction: all of them land, or none do.
/// </summary>
[Cmdlet(VerbsCommon.Add, "DbUser", SupportsShouldProcess = true)]
[OutputType(typeof(User))]
public sealed class AddDbUserCommand : DbCmdlet
{
    private const int BatchSize = 10_000;
    private const int ProgressEvery = 10_000;
    private const int MaxText = 255;
    private readonly List<User> _batch = new();
    private readonly HashSet<long> _seen = new();
    private CommandUnit? _unit;
    private UserLoad? _load;
    private long _received;
    private ProgressRecord? _progress;

    /// <summary>The Telegram user id (primary key).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("telegram_id", "Id")]
    [EmptyAsNull]
    public long TelegramId { get; set; }

    /// <summary>The user's full name (required: the column is NOT NULL).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("full_name")]
    [EmptyAsNull]
    public string? FullName { get; set; }

    /// <summary>The @username; empty means none.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string? Username { get; set; }

    /// <summary>The IETF language code, such as en (required: the column is NOT NULL).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("language_code")]
    [EmptyAsNull]
    public string? LanguageCode { get; set; }

    /// <summary>When the user was created; empty means the server's default (now).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("created_at")]
    [EmptyAsNull]
    public DateTime? CreatedAt { get; set; }

    /// <summary>The id of the referring user; it may come later in the same input.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("referrer_id")]
    [EmptyAsNull]
    public long? ReferrerId { get; set; }

    /// <summary>What to do when an id is already taken: Error (default), Skip (keep the stored user) or Update (upsert).</summary>
    [Parameter]
    public UserConflictAction OnConflict { get; set; } = UserConflictAction.Error;

    /// <summary>Return the stored users (with server defaults such as CreatedAt), in input order.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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
            ThrowAndRelease(new ErrorRecord(new ArgumentException(
                $"Input object {_received} repeats telegram_id {TelegramId}; nothing was added. Use -OnConflict Skip (first wins) or Update (last wins) to allow repeats."),
                "PgUsers.DuplicateUser", ErrorCategory.ResourceExists, TelegramId));
        }
        if (!ShouldProcess($"{TelegramId} ({FullName})", "Add user")) return;
        _batch.Add(new User(TelegramId, FullName!, Username, LanguageCode!, CreatedAt, ReferrerId));
        if (_batch.Count >= BatchSize) Send();
        if (_received % ProgressEvery == 0) Progress($"{_received} users read, {_load?.Sent ?? 0} sent");
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_batch.Count == 0 && _unit is null) return;
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
            _unit!.Complete();
            long skipped = _load.Sent - inserted - updated;
            WriteVerbose($"Added {inserted} users" + (updated > 0 ? $", updated {updated}" : "") + (skipped > 0 ? $", {skipped} already there or repeated (skipped)" : "")
                + (_unit.InSession ? " (in the session's transaction)." : " (committed as one transaction)."));
        }
        catch (DbSqlException e) when (UserLoad.DuplicateId(e) is long id)
        {
            ThrowAndRelease(new ErrorRecord(new ArgumentException(
                $"telegram_id {id} already exists in users; nothing was added. Use -OnConflict Skip to keep the stored user or -OnConflict Update to overwrite it.", e),
                "PgUsers.DuplicateUser", ErrorCategory.ResourceExists, id));
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Release();
            Terminate(e, null);
        }
        finally
        {
            Release();
            if (_progress is not null)
            {
                _progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(_progress);
            }
        }
    }

    /// <summary>Rolls back whatever did not complete (an error, a stop, an upstream failure) and returns the connection.</summary>
    private protected override void Release()
    {
        _unit?.Dispose();
        _unit = null;
    }

    private void ThrowAndRelease(ErrorRecord record)
    {
        OnFailing(record.Exception);
        Release();
        ThrowTerminatingError(record);
    }

    private void Send()
    {
        try
        {
            if (_unit is null)
            {
                _unit = CommandUnit.Open(this);
                _load = new UserLoad(_unit.Link, Cancellation);
            }
            _load!.Copy(_batch);
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Release();
            Terminate(e, null);
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
