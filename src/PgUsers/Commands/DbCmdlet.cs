using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Base of the cmdlets that use an engine: -Engine, else the ambient Use-DbSession session's
/// engine, else the runspace's default engine; -TargetSessionAttrs picks the kind of server.
/// </summary>
public abstract class EngineCmdlet : PgUsersCmdlet
{
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

    internal TargetSession Target => TargetSessions.Parse(TargetSessionAttrs);

    /// <summary>A connection of the engine on a server of the -TargetSessionAttrs kind.</summary>
    internal IDbLink Acquire(DbEngine engine) => engine.Acquire(Cancellation, Target);

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

    /// <summary>The session the command runs in, if any: the innermost Use-DbSession one unless -Engine says otherwise.</summary>
    internal virtual DbSession? ActiveSession
    {
        get
        {
            if (Engine is not null) return null;
            var ambient = RunspaceState.Current.AmbientSessions;
            return ambient.Count > 0 ? ambient.Peek() : null;
        }
    }

    /// <summary>The engine commands go to when not in a session.</summary>
    internal DbEngine ResolveEngine()
    {
        var engine = Engine ?? ActiveSession?.Engine ?? RunspaceState.Current.DefaultEngine;
        if (engine is null)
        {
            ThrowTerminatingError(DbErrors.Record("PgUsers.NoEngine", ErrorCategory.ObjectNotFound,
                "No engine: create one with New-DbEngine (it becomes this session's default), or pass -Engine or -Session.", null));
        }
        if (engine!.IsDisposed)
        {
            ThrowTerminatingError(DbErrors.Record("PgUsers.EngineDisposed", ErrorCategory.InvalidOperation,
                $"The engine '{engine.Name}' was removed; create a new one with New-DbEngine.", engine));
        }
        return engine;
    }
}

/// <summary>
/// Base of the cmdlets that talk to a server: resolves -Session, -Engine, the ambient
/// Use-DbSession session, then the runspace's default engine, in that order.
/// </summary>
public abstract class DbCmdlet : EngineCmdlet
{
    /// <summary>The unit of work to run in (its connection and transaction).</summary>
    [Parameter]
    [SessionTransformation]
    [ValidateNotNull]
    public DbSession? Session { get; set; }

    /// <summary>The session the command runs in, if any (explicit or ambient).</summary>
    internal override DbSession? ActiveSession => Session ?? base.ActiveSession;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (Engine is not null && Session is not null)
        {
            ThrowTerminatingError(DbErrors.Argument("PgUsers.EngineAndSession",
                "Pass -Engine or -Session, not both: a session already has its engine.", Session));
        }
    }

    /// <summary>A failed command dooms the unit of work it ran in: the session can then only roll back.</summary>
    private protected override void OnFailing(Exception exception)
    {
        if (exception is not DbSessionException) ActiveSession?.Fail($"{MyInvocation.MyCommand.Name} failed: {exception.Message}");
    }

    /// <summary>A connection for one unit of this command: the session's, or one checked out of the engine.</summary>
    internal LinkLease OpenLink()
    {
        if (ActiveSession is { } session)
        {
            RefuseOtherTarget(session);
            return new LinkLease(Listen(session.Link), owned: false);
        }
        return new LinkLease(Listen(Acquire(ResolveEngine())), owned: true);
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

    private IDbLink? _listened;

    /// <summary>The server's notices for this command, written to its Information, Warning and Verbose streams.</summary>
    internal NoticeRelay Notices => _notices ??= new NoticeRelay(this);

    private NoticeRelay? _notices;
}

/// <summary>A connection borrowed for one command. Owned ones go back to the pool on Dispose.</summary>
internal readonly struct LinkLease : IDisposable
{
    public LinkLease(IDbLink link, bool owned)
    {
        Link = link;
        Owned = owned;
    }

    public IDbLink Link { get; }

    /// <summary>False inside a session: the session's transaction is the unit of work.</summary>
    public bool Owned { get; }

    /// <summary>Starts a transaction when this command owns the connection.</summary>
    public void BeginIfOwned()
    {
        if (Owned) Link.Begin();
    }

    /// <summary>Commits when this command owns the connection (a session commits on its own terms).</summary>
    public void CommitIfOwned()
    {
        if (Owned) Link.Commit();
    }

    public void Dispose()
    {
        if (Owned) Link.Dispose();
    }
}
