using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>
/// Changes users: only the columns given (on the command line or as properties of the pipeline
/// object) are set. Changes go in batches, all in one transaction: every change lands or none does.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DbUser", SupportsShouldProcess = true)]
[OutputType(typeof(User))]
public sealed class SetDbUserCommand : UserChangeCmdlet
{
    private const int BatchSize = 10_000;
    private const int ProgressEvery = 10_000;
    private readonly UserUpdates _updates = new();
    private long _received;
    private long _changed;
    private ProgressRecord? _progress;

    private HashSet<string>? _commandLine;

    /// <summary>The pipeline object itself (bound beside its properties), to tell which columns this record gives.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _commandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether this record sets <paramref name="parameter"/>. BoundParameters keeps a property bound
    /// from an earlier pipeline object, so a record's own columns are read off the object itself.
    /// </summary>
    private bool Gives(string parameter)
    {
        if (_commandLine!.Contains(parameter)) return true;
        if (InputObject is null) return MyInvocation.BoundParameters.ContainsKey(parameter);
        return s_names[parameter].Any(name => InputObject.Properties[name] is not null);
    }

    /// <summary>Each column parameter's name and aliases (telegram_id style), read once.</summary>
    private static readonly Dictionary<string, string[]> s_names = typeof(SetDbUserCommand).GetProperties()
        .Where(p => p.DeclaringType == typeof(UserChangeCmdlet))
        .ToDictionary(p => p.Name, p => p.GetCustomAttributes(typeof(AliasAttribute), true).Cast<AliasAttribute>()
            .SelectMany(a => a.AliasNames).Prepend(p.Name).ToArray());

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _received++;
        string[] parameters = { nameof(FullName), nameof(Username), nameof(LanguageCode), nameof(CreatedAt), nameof(ReferrerId) };
        object?[] values = { FullName, Username, LanguageCode, CreatedAt, ReferrerId };
        int mask = 0;
        for (int c = 0; c < parameters.Length; c++)
        {
            if (Gives(parameters[c])) mask |= 1 << c;
        }
        if ((Gives(nameof(FullName)) && FullName is null) || (Gives(nameof(LanguageCode)) && LanguageCode is null))
        {
            WriteError(new ErrorRecord(new ArgumentException($"User {TelegramId} was not changed: full_name and language_code are NOT NULL and cannot be emptied."),
                "PgUsers.InvalidUser", ErrorCategory.InvalidData, TelegramId));
            return;
        }
        if (mask == 0)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Nothing to set for user {TelegramId}: give -FullName, -Username, -LanguageCode, -CreatedAt or -ReferrerId."),
                "PgUsers.NothingToSet", ErrorCategory.InvalidArgument, TelegramId));
            return;
        }
        var columns = UserUpdates.Columns.Where((_, c) => (mask & (1 << c)) != 0);
        if (!ShouldProcess(TelegramId.ToString(System.Globalization.CultureInfo.InvariantCulture), "Set " + string.Join(", ", columns))) return;
        _updates.Add(mask, TelegramId, values);
        // Inside a session an upstream read may hold the connection; the changes wait for it.
        if (_updates.Count >= BatchSize && !ConnectionBusy) Flush();
        if (_received % ProgressEvery == 0)
        {
            _progress ??= new ProgressRecord(2, "Set-DbUser", "Changing users");
            _progress.StatusDescription = $"{_received} users read, {_changed} changed";
            WriteProgress(_progress);
        }
    }

    private void Flush()
    {
        if (_updates.Count == 0) return;
        List<long> missing = new();
        try
        {
            missing = _updates.Run(Unit.Link, user =>
            {
                _changed++;
                if (PassThru) WriteObject(user);
            }, Cancellation);
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
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
            Complete($"Changed {_changed} users");
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Fail(e, null);
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
}
