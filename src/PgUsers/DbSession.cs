using System.Management.Automation.Runspaces;
using PgUsers.Internal;

namespace PgUsers;

/// <summary>
/// A unit of work: one pooled connection and one transaction. Commit makes its work durable;
/// Rollback, Dispose without Commit, or an error leave no trace of it.
/// </summary>
public sealed class DbSession : IDisposable
{
    private readonly Runspace? _owner;
    private IDbLink? _link;

    internal DbSession(DbEngine engine, IDbLink link)
    {
        Engine = engine;
        _link = link;
        _owner = Runspace.DefaultRunspace;
        link.Begin();
    }

    /// <summary>The engine the session's connection came from.</summary>
    public DbEngine Engine { get; }
    /// <summary>True until Dispose returns the connection.</summary>
    public bool IsActive => _link is not null;
    /// <summary>Commits so far (each starts a new transaction).</summary>
    public int Commits { get; private set; }

    internal IDbLink Link
    {
        get
        {
            var link = _link ?? throw new ObjectDisposedException(nameof(DbSession), "The session is closed; start a new one with New-DbSession.");
            if (_owner is not null && Runspace.DefaultRunspace is { } current && !ReferenceEquals(current, _owner))
            {
                throw new InvalidOperationException("A session belongs to the runspace that created it; create one per runspace (the engine can be shared).");
            }
            return link;
        }
    }

    /// <summary>Makes the work so far durable and starts a new transaction.</summary>
    public void Commit()
    {
        Link.Commit();
        Commits++;
        Link.Begin();
    }

    /// <summary>Discards the work since the last commit and starts a new transaction.</summary>
    public void Rollback()
    {
        Link.Rollback();
        Link.Begin();
    }

    /// <summary>Rolls back what was not committed and returns the connection to the pool.</summary>
    public void Dispose()
    {
        var link = Interlocked.Exchange(ref _link, null);
        link?.Dispose();
    }

    /// <summary>Session(engine url).</summary>
    public override string ToString() => $"Session({Engine.Url}{(IsActive ? "" : ", closed")})";
}
