using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>
/// Changes users: only the columns given (on the command line or as properties of the pipeline
/// object) are set. All records run in one transaction, so either every change lands or none does.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DbUser", SupportsShouldProcess = true)]
[OutputType(typeof(User))]
public sealed class SetDbUserCommand : DbCmdlet
{
    private static readonly (string Parameter, string Column)[] s_columns =
    {
        (nameof(FullName), "full_name"), (nameof(Username), "username"), (nameof(LanguageCode), "language_code"),
        (nameof(CreatedAt), "created_at"), (nameof(ReferrerId), "referrer_id"),
    };
    private CommandUnit? _unit;
    private long _changed;

    /// <summary>The user to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("telegram_id", "Id")]
    [EmptyAsNull]
    public long TelegramId { get; set; }

    /// <summary>The new full name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("full_name")]
    [ValidateNotNullOrEmpty]
    public string? FullName { get; set; }

    /// <summary>The new @username; empty or $null removes it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string? Username { get; set; }

    /// <summary>The new language code.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("language_code")]
    [ValidateNotNullOrEmpty]
    public string? LanguageCode { get; set; }

    /// <summary>The new creation time.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("created_at")]
    [EmptyAsNull]
    public DateTime? CreatedAt { get; set; }

    /// <summary>The new referrer id; empty or $null removes it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("referrer_id")]
    [EmptyAsNull]
    public long? ReferrerId { get; set; }

    /// <summary>Return each changed user as stored.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        var sets = new List<string>();
        var args = new List<KeyValuePair<string, object?>> { new("id", TelegramId) };
        foreach (var (parameter, column) in s_columns)
        {
            if (!bound.ContainsKey(parameter)) continue;
            sets.Add($"{column} = @{column}");
            args.Add(new(column, parameter switch
            {
                nameof(FullName) => FullName,
                nameof(Username) => Username,
                nameof(LanguageCode) => LanguageCode,
                nameof(CreatedAt) => CreatedAt,
                _ => ReferrerId,
            }));
        }
        if (sets.Count == 0)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Nothing to set for user {TelegramId}: give -FullName, -Username, -LanguageCode, -CreatedAt or -ReferrerId."),
                "PgUsers.NothingToSet", ErrorCategory.InvalidArgument, TelegramId));
            return;
        }
        if (!ShouldProcess(TelegramId.ToString(System.Globalization.CultureInfo.InvariantCulture), "Set " + string.Join(", ", sets.Select(s => s.Split(' ')[0])))) return;
        bool found = false;
        try
        {
            _unit ??= CommandUnit.Open(this);
            var statement = new DbStatement($"UPDATE users SET {string.Join(", ", sets)} WHERE telegram_id = @id RETURNING {UserColumns.Select}", args);
            foreach (var user in _unit.Link.ReadUsers(statement, withDepth: false, Cancellation))
            {
                found = true;
                _changed++;
                if (PassThru) WriteObject(user);
            }
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Release();
            Terminate(e, TelegramId);
        }
        if (!found)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No user with TelegramId {TelegramId}; nothing was set."),
                "PgUsers.UserNotFound", ErrorCategory.ObjectNotFound, TelegramId));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_unit is null) return;
        try
        {
            _unit.Complete();
            WriteVerbose($"Changed {_changed} users" + (_unit.InSession ? " (in the session's transaction)." : " (committed as one transaction)."));
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Release();
            Terminate(e, null);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Rolls back whatever did not complete and returns the connection.</summary>
    private protected override void Release()
    {
        _unit?.Dispose();
        _unit = null;
    }
}
