using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Base of Add-DbUser and Set-DbUser: users come from the pipeline (-InputObject, read through the
/// users column table) or from the named column parameters, which then apply to every piped record
/// too; one unit of work spans all records.
/// </summary>
public abstract class UserChangeCmdlet : UserInputCmdlet
{
    private CommandUnit? _unit;

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

    /// <summary>The command's unit of work, opened on first use.</summary>
    private protected CommandUnit Unit => _unit ??= CommandUnit.Open(this);

    private protected bool HasUnit => _unit is not null;

    /// <summary>
    /// True while an upstream command in the same session is still reading rows on the session's
    /// connection (Get-DbUser | Set-DbUser inside Use-DbSession): our statements wait until it is done.
    /// </summary>
    private protected bool ConnectionBusy => ActiveSession is { IsActive: true } session && session.Link.Busy;

    /// <summary>Commits the command's own transaction (a session's is left to the session) and says what was done.</summary>
    private protected void Complete(string summary)
    {
        _unit!.Complete();
        WriteVerbose(summary + (_unit.InSession ? " (in the session's transaction)." : " (committed as one transaction)."));
    }

    /// <summary>Ends the command with a terminating error; whatever it did is rolled back first.</summary>
    private protected void Fail(Exception exception, object? target)
    {
        Release();
        Terminate(exception, target);
    }

    /// <summary>Ends the command with a terminating error record; whatever it did is rolled back first.</summary>
    private protected override void Fail(ErrorRecord record)
    {
        OnFailing(record.Exception);
        Release();
        ThrowTerminatingError(record);
    }

    /// <summary>Rolls back whatever did not complete (an error, a stop, an upstream failure) and returns the connection.</summary>
    private protected override void Release()
    {
        ReleaseWork();
        _unit?.Dispose();
        _unit = null;
    }

    /// <summary>Lets go of what the command built on the unit (a COPY in flight) before the unit is rolled back.</summary>
    private protected virtual void ReleaseWork()
    {
    }
}
