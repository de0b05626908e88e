using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Base of the cmdlets that talk to a server. It picks where a command runs (-Session, else -Engine,
/// else the ambient Use-DbSession session, else the runspace's default engine) and holds the
/// command's unit of work (<see cref="Unit"/>): opened on first use, completed by the command,
/// rolled back and returned by an error, a stop or the command's end.
/// </summary>
public abstract class DbCmdlet : PgUsersCmdlet
{
    private CommandUnit? _unit;
    private IDbLink? _listened;
    private NoticeRelay? _notices;

    /// <summary>The engine to use instead of the session default: an engine, or a URL (DbUrl or string) for one made and kept per runspace.</summary>
    [Parameter]
    [EngineTransformation]
    [ValidateNotNull]
    public DbEngine? Engine { get; set; }

    /// <summary>
    /// The kind of server this call (or unit of work) runs on, in libpq's words; the engine's URL
    /// (target_session_attrs) decides when omitted.
    /// </summary>
    [Parameter]
    [ValidateSet(TargetSessions.Any, TargetSessions.ReadWrite, TargetSessions.ReadOnly, TargetSessions.Primary,
        TargetSessions.Standby, TargetSessions.PreferStandby, TargetSessions.PreferPrimary)]
    public string? TargetSessionAttrs { get; set; }

    /// <summary>The unit of work to run in (its connection and transaction).</summary>
    [Parameter]
    [SessionTransformation]
    [ValidateNotNull]
    public DbSession? Session { get; set; }

    internal TargetSession Target => TargetSessions.Parse(TargetSessionAttrs);

    /// <summary>The session the command runs in, if any: -Session, else the innermost Use-DbSession one unless -Engine says otherwise.</summary>
    internal DbSession? ActiveSession
    {
        get
        {
            if (Session is not null) return Session;
            if (Engine is not null) return null;
            var ambient = RunspaceState.Current.AmbientSessions;
            return ambient.Count > 0 ? ambient.Peek() : null;
        }
    }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (Engine is not null && Session is not null)
        {
            Fail(DbErrors.Argument("PgUsers.EngineAndSession", "Pass -Engine or -Session, not both: a session already has its engine.", Session));
        }
    }

    /// <summary>
    /// The engine a command uses when it runs in no session (its callers have checked <see cref="ActiveSession"/>
    /// already, so it is not looked up again on every call): -Engine, else the runspace's default.
    /// </summary>
    internal DbEngine ResolveEngine()
    {
        var engine = EngineChoice.Resolve(Engine, this, out var error);
        if (error is not null) Fail(error);
        return engine!;
    }

    /// <summary>A call inside a unit of work runs where the unit runs: it may say so, not ask for another kind.</summary>
    internal void RefuseOtherTarget(DbSession session)
    {
        if (Target != TargetSession.Default && Target != session.Target)
        {
            throw new DbSessionException("PgUsers.TargetInSession",
                $"-TargetSessionAttrs {TargetSessionAttrs} cannot move a call out of its unit of work, which runs on a " +
                $"{TargetSessions.Name(session.Target)} server: pass -TargetSessionAttrs to Use-DbSession or New-DbSession, or run this call outside the session.");
        }
    }

    /// <summary>The command's unit of work, opened on first use: the session's connection, or one checked out of the engine.</summary>
    private protected CommandUnit Unit => _unit ??= OpenUnit();

    private protected bool HasUnit => _unit is not null;

    /// <summary>
    /// True while an upstream command in the same session is still reading rows on the session's
    /// connection (Get-DbUser | Set-DbUser inside Use-DbSession): our statements must wait until it is done.
    /// </summary>
    private protected bool ConnectionBusy => ActiveSession is { IsActive: true } session && session.Link.Busy;

    private CommandUnit OpenUnit()
    {
        string name = MyInvocation.MyCommand.Name;
        if (ActiveSession is { } session)
        {
            RefuseOtherTarget(session);
            return new CommandUnit(Listen(session.Link), session, name);
        }
        var unit = new CommandUnit(Listen(ResolveEngine().Acquire(Cancellation, Target)), null, name);
        // A warning that stops the command must find its work not yet committed: a single statement would
        // otherwise commit in its own protocol round before the warning is read.
        if (WarningsMayStop()) unit.Begin();
        return unit;
    }

    /// <summary>True when a server warning would stop this command (-WarningAction or $WarningPreference Stop or Inquire).</summary>
    private bool WarningsMayStop()
    {
        object? preference = MyInvocation.BoundParameters.TryGetValue("WarningAction", out var given) ? given : GetVariableValue("WarningPreference");
        return LanguagePrimitives.TryConvertTo(preference, out ActionPreference action) && action is ActionPreference.Stop or ActionPreference.Inquire;
    }

    /// <summary>Completes the unit (commits its own transaction; a session's is left to the session), says what was done, and returns the connection.</summary>
    private protected void CompleteUnit(string? summary = null)
    {
        if (_unit is not { } unit) return;
        // A warning that stopped the command (Npgsql swallowed the throw) rolls its work back instead of committing it.
        _notices?.ThrowIfStopped();
        unit.Complete();
        if (summary is not null) WriteVerbose(summary + (unit.InSession ? " (in the session's transaction)." : " (committed as one transaction)."));
        ReleaseUnit();
    }

    /// <summary>Lets go of the unit: what did not complete rolls back, and the connection goes back to the pool.</summary>
    private protected void ReleaseUnit()
    {
        ReleaseWork();
        _unit?.Dispose();
        _unit = null;
    }

    /// <summary>Lets go of what the command built on its unit (a COPY in flight) before the unit is rolled back.</summary>
    private protected virtual void ReleaseWork()
    {
    }

    /// <inheritdoc />
    private protected override void Release() => ReleaseUnit();

    /// <summary>A command that failed inside a unit of work dooms it: the session can then only roll back.</summary>
    private protected override void Abandon(Exception reason)
    {
        if (_unit is { InSession: true } && reason is not DbSessionException)
        {
            ActiveSession?.Fail($"{MyInvocation.MyCommand.Name} failed: {reason.Message}");
        }
        base.Abandon(reason);
    }

    private IDbLink Listen(IDbLink link)
    {
        link.Notices = Notices.Handler;
        _listened = link;
        return link;
    }

    /// <summary>
    /// A session's connection outlives the command: it must not keep pointing at this command (its pool
    /// keeps the connection, so the command and the session it names could never be collected).
    /// </summary>
    private protected override void Detach()
    {
        if (_listened is { } link && _notices is not null && Equals(link.Notices, _notices.Handler)) link.Notices = null;
        _listened = null;
    }

    /// <summary>The server's notices for this command, written to its Information, Warning and Verbose streams.</summary>
    internal NoticeRelay Notices => _notices ??= new NoticeRelay(this);
}
