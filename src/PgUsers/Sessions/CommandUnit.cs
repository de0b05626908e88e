namespace PgUsers.Sessions;

/// <summary>
/// The unit of work of one command: a connection (the session's, or one checked out of the engine)
/// and, once <see cref="Begin"/> is called, a transaction (the command's own, or a share of the
/// session's). Disposed before <see cref="Complete"/>, it leaves nothing behind: its own transaction
/// rolls back with the connection's return, and a session it wrote in is marked so it can only roll back.
/// </summary>
internal sealed class CommandUnit : IDisposable
{
    private readonly DbSession? _session;
    private readonly string _command;
    private bool _begun;
    private bool _completed;
    private bool _disposed;

    /// <param name="link">The connection: the session's when <paramref name="session"/> is given, else one this unit returns on Dispose.</param>
    /// <param name="session">The unit of work the command runs in, if any.</param>
    /// <param name="command">The command's name, for the reason a session is marked failed.</param>
    public CommandUnit(IDbLink link, DbSession? session, string command)
    {
        Link = link;
        _session = session;
        _command = command;
    }

    public IDbLink Link { get; }

    /// <summary>True inside a session: the session commits, not this command.</summary>
    public bool InSession => _session is not null;

    /// <summary>
    /// Makes the command's statements from here on one unit: a transaction on its own connection (a
    /// session's transaction already is one). Single statements need none: the server runs each
    /// protocol round as one implicit transaction.
    /// </summary>
    public void Begin()
    {
        if (_begun) return;
        if (_session is null) Link.Begin();
        _begun = true;
    }

    /// <summary>Commits the command's own transaction (a session's is left to the session).</summary>
    public void Complete()
    {
        if (_begun && _session is null) Link.Commit();
        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_session is null)
        {
            Link.Dispose();
            return;
        }
        if (_begun && !_completed) _session.Fail($"{_command} stopped before it finished");
    }
}
