using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Base of Add-DbUser and Set-DbUser: users come from the pipeline (-InputObject, bound by the
/// module through the users column table, not by PowerShell's per-property binder) or from the
/// named column parameters, which then apply to every piped record too. One rule for bad records:
/// the whole command fails and nothing lands, unless -SkipInvalid skips each with an error.
/// </summary>
public abstract class UserChangeCmdlet : DbCmdlet
{
    private UserBinder? _binder;

    /// <summary>A user per pipeline object: PgUsers.User objects, hashtables, PSCustomObjects or Import-Csv rows, with PowerShell or column names.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Load the valid records and write one error per invalid one, instead of failing the whole command.</summary>
    [Parameter]
    public SwitchParameter SkipInvalid { get; set; }

    /// <summary>The Telegram user id (primary key).</summary>
    [Parameter(Position = 0)]
    [Alias("Id")]
    [UserValue(nameof(TelegramId))]
    public long TelegramId { get; set; }

    /// <summary>The user's full name (the column is NOT NULL).</summary>
    [Parameter(Position = 1)]
    [UserValue(nameof(FullName))]
    public string? FullName { get; set; }

    /// <summary>The @username; empty means none.</summary>
    [Parameter]
    [UserValue(nameof(Username))]
    public string? Username { get; set; }

    /// <summary>The IETF language code, such as en (the column is NOT NULL).</summary>
    [Parameter]
    [UserValue(nameof(LanguageCode))]
    public string? LanguageCode { get; set; }

    /// <summary>When the user was created; empty means none (NULL).</summary>
    [Parameter]
    [UserValue(nameof(CreatedAt))]
    public DateTime? CreatedAt { get; set; }

    /// <summary>The id of the referring user; empty means none.</summary>
    [Parameter]
    [UserValue(nameof(ReferrerId))]
    public long? ReferrerId { get; set; }

    /// <summary>Return the stored users (with server defaults such as CreatedAt).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>How the binder treats input (see <see cref="UserBinder"/>'s options); <paramref name="named"/> are the column parameters given.</summary>
    private protected abstract UserBinder CreateBinder(object?[] named);

    /// <summary>Command-specific checks of a converted record (what a column must hold for this command).</summary>
    private protected abstract void Check(UserRecord record);

    /// <summary>
    /// The current record: the piped object, or the named parameters alone when nothing is piped.
    /// Null when the record is invalid and -SkipInvalid skipped it (its error is written); without
    /// -SkipInvalid an invalid record fails the command.
    /// </summary>
    private protected UserRecord? NextRecord()
    {
        _binder ??= CreateBinder(UserBinder.Named(MyInvocation.BoundParameters));
        bool piped = MyInvocation.ExpectingInput;
        var record = _binder.Next(piped, InputObject);
        Check(record);
        if (record.Problem is null) return record;
        var error = record.Error(piped, SkipInvalid, piped ? InputObject : null);
        if (!SkipInvalid) Fail(error);
        WriteError(error);
        return null;
    }
}
