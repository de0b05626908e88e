using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>
/// Changes users: only the columns given (on the command line or as properties of the pipeline
/// object) are set. All records run in one transaction, so either every change lands or none does.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DbUser", SupportsShouldProcess = true)]
[OutputType(typeof(User))]
public sealed class SetDbUserCommand : UserChangeCmdlet
{
    private static readonly (string Parameter, string Column)[] s_columns =
    {
        (nameof(FullName), "full_name"), (nameof(Username), "username"), (nameof(LanguageCode), "language_code"),
        (nameof(CreatedAt), "created_at"), (nameof(ReferrerId), "referrer_id"),
    };
    private readonly List<(DbStatement Statement, long Id)> _pending = new();
    private long _changed;

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
        if ((bound.ContainsKey(nameof(FullName)) && FullName is null) || (bound.ContainsKey(nameof(LanguageCode)) && LanguageCode is null))
        {
            WriteError(new ErrorRecord(new ArgumentException($"User {TelegramId} was not changed: full_name and language_code are NOT NULL and cannot be emptied."),
                "PgUsers.InvalidUser", ErrorCategory.InvalidData, TelegramId));
            return;
        }
        if (sets.Count == 0)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Nothing to set for user {TelegramId}: give -FullName, -Username, -LanguageCode, -CreatedAt or -ReferrerId."),
                "PgUsers.NothingToSet", ErrorCategory.InvalidArgument, TelegramId));
            return;
        }
        if (!ShouldProcess(TelegramId.ToString(System.Globalization.CultureInfo.InvariantCulture), "Set " + string.Join(", ", sets.Select(s => s.Split(' ')[0])))) return;
        _pending.Add((new DbStatement($"UPDATE users SET {string.Join(", ", sets)} WHERE telegram_id = @id RETURNING {UserColumns.Select}", args), TelegramId));
        if (!ConnectionBusy) RunPending();
    }

    private void RunPending()
    {
        foreach (var (statement, id) in _pending)
        {
            bool found = false;
            try
            {
                foreach (var user in Unit.Link.ReadUsers(statement, withDepth: false, Cancellation))
                {
                    found = true;
                    _changed++;
                    if (PassThru) WriteObject(user);
                }
            }
            catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
            {
                Fail(e, id);
            }
            if (!found)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"No user with TelegramId {id}; nothing was set."),
                    "PgUsers.UserNotFound", ErrorCategory.ObjectNotFound, id));
            }
        }
        _pending.Clear();
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_pending.Count == 0 && !HasUnit) return;
        try
        {
            RunPending();
            Complete($"Changed {_changed} users");
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Fail(e, null);
        }
        finally
        {
            Release();
        }
    }
}
