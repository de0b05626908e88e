
namespace PgUsers.Sessions;

/// <summary>
/// The unit of work of one command that spans many pipeline records: its own transaction, or a
/// share of the session's. Disposed before <see cref="Complete"/>, it leaves nothing behind: its
/// own transaction rolls back, and a session it ran in is marked so it can only roll back.
/// </summary>
internal sealed class CommandUnit : IDisposable
{
    private readonly DbSession? _session;
    private readonly string _command;
    private LinkLease _lease;
    private bool _completed;
    private bool _disposed;

    private CommandUnit(DbSession? session, LinkLease lease, string command)
    {
        _session = session;
        _lease = lease;
        _command = command;
    }

    public static CommandUnit Open(DbCmdlet cmdlet)
    {
        var session = cmdlet.ActiveSession;
        var lease = cmdlet.OpenLink();
        try
        {
            lease.BeginIfOwned();
        }
        catch
        {
            lease.Dispose();
            throw;
        }
        return new CommandUnit(session, lease, cmdlet.MyInvocation.MyCommand.Name);
    }

    public IDbLink Link => _lease.Link;

    /// <summary>True inside a session: the session commits, not this command.</summary>
    public bool InSession => !_lease.Owned;

    /// <summary>Commits the command's own transaction (a session's is left to the session).</summary>
    public void Complete()
    {
        _lease.CommitIfOwned();
        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_completed) _session?.Fail($"{_command} stopped before it finished");
        _lease.Dispose();
    }
}
