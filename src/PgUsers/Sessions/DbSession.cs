using System.Management.Automation.Runspaces;

namespace PgUsers;

/// <summary>
/// A unit of work: one pooled connection and one transaction. Commit makes its work durable;
/// Rollback, Dispose without Commit, or an error leave no trace of it.
/// </summary>
public sealed class DbSession : IDisposable
{
    private readonly Runspace? _owner;
    // Frame 0 is the transaction; each nested Use-DbSession adds a frame with its savepoint.
    private readonly List<Frame> _frames = new() { new Frame(null) };
    private IDbLink? _link;
    private int _savepoints;

    internal DbSession(DbEngine engine, IDbLink link, TargetSession target = TargetSession.Default)
    {
        Engine = engine;
        Target = target;
        _link = link;
        _owner = Runspace.DefaultRunspace;
        try
        {
            link.Begin(guardStatements: true);
        }
        catch
        {
            _link = null;
            GC.SuppressFinalize(this);
            link.Dispose();
            throw;
        }
    }

    /// <summary>The engine the session's connection came from.</summary>
    public DbEngine Engine { get; }
    /// <summary>The kind of server it runs on (-TargetSessionAttrs), or null when the engine's URL decided.</summary>
    public string? TargetSessionAttrs => Target == TargetSession.Default ? null : TargetSessions.Name(Target);
    /// <summary>True until Dispose returns the connection.</summary>
    public bool IsActive => _link is not null;
    /// <summary>Commits so far (each starts a new transaction).</summary>
    public int Commits { get; private set; }
    /// <summary>How many Use-DbSession savepoints are open inside the transaction (0 = none).</summary>
    public int Depth => _frames.Count - 1;
    /// <summary>Why the current unit of work can only roll back (a command in it failed), or null.</summary>
    public string? FailedBecause => _frames[^1].Failure;

    internal TargetSession Target { get; }

    internal IDbLink Link
    {
        get
        {
            var link = _link ?? throw new DbSessionException("PgUsers.SessionClosed",
                "The session is closed (disposed); start a new one with New-DbSession or Use-DbSession.");
            if (_owner is not null && Runspace.DefaultRunspace is { } current && !ReferenceEquals(current, _owner))
            {
                throw new DbSessionException("PgUsers.SessionWrongRunspace",
                    "This session belongs to the runspace that created it; create one per runspace (the engine can be shared).");
            }
            return link;
        }
    }

    /// <summary>Makes the work so far durable and starts a new transaction.</summary>
    public void Commit()
    {
        RefuseInsideSavepoint(nameof(Commit));
        var link = Link;
        try
        {
            CommitTransaction(link);
        }
        finally
        {
            link.Begin(guardStatements: true);
        }
    }

    /// <summary>Discards the work since the last commit and starts a new transaction.</summary>
    public void Rollback()
    {
        RefuseInsideSavepoint(nameof(Rollback));
        var link = Link;
        _frames[0].Failure = null;
        link.Rollback();
        link.Begin(guardStatements: true);
    }

    /// <summary>Rolls back what was not committed and returns the connection to the pool.</summary>
    public void Dispose()
    {
        var link = Interlocked.Exchange(ref _link, null);
        link?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Its runspace closed (or the module was removed), maybe while one of its statements runs on another thread:
    /// that statement is cancelled on the server, and the connection rolls back and goes home once it ends.
    /// </summary>
    internal void Abort()
    {
        Interlocked.Exchange(ref _link, null)?.Abort();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A session dropped without Dispose (its variable overwritten, its output discarded): once collected, its
    /// connection is rolled back and returned on a pool thread — never network work on the finalizer thread.
    /// </summary>
    ~DbSession()
    {
        if (Interlocked.Exchange(ref _link, null) is { } link)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static l => l.Dispose(), link, preferLocal: false);
        }
    }

    /// <summary>Session(engine url).</summary>
    public override string ToString() => $"Session({Engine.Url}{(IsActive ? "" : ", closed")})";

    /// <summary>A command in the current frame failed: the frame can now only roll back (SQLAlchemy's pending rollback).</summary>
    internal void Fail(string reason)
    {
        if (_link is not null) _frames[^1].Failure ??= reason;
    }

    /// <summary>Commits frame 0 (or rolls it back and says why); leaves no transaction open.</summary>
    internal void CommitTransaction(IDbLink link)
    {
        if (_frames[0].Failure is { } failure)
        {
            _frames[0].Failure = null;
            link.Rollback();
            throw RolledBack(failure);
        }
        // PostgreSQL answers COMMIT of an aborted transaction with a silent ROLLBACK; a cheap
        // statement first turns that into an error the user sees instead of lost work.
        try
        {
            link.ExecuteScalar(new DbStatement("SELECT 1"), CancellationToken.None);
        }
        catch (DbSqlException e) when (e.SqlState == "25P02")
        {
            link.Rollback();
            throw RolledBack("an earlier statement in it failed");
        }
        try
        {
            link.Commit();
        }
        catch (DbConnectionLostException e)
        {
            // COMMIT was sent and no answer came back: it may have been applied. Not a retryable loss.
            throw new DbSessionException("PgUsers.CommitOutcomeUnknown",
                $"The connection was lost during COMMIT, so whether the unit of work was committed is unknown; it was not retried. {e.Message}");
        }
        Commits++;
    }

    /// <summary>Opens a savepoint frame for a nested Use-DbSession.</summary>
    internal void EnterSavepoint()
    {
        var link = Link;
        string name = "pgusers_sp_" + (++_savepoints);
        link.Savepoint(name);
        _frames.Add(new Frame(name));
    }

    /// <summary>Closes the innermost savepoint frame: keeps its work, or rolls it back (and says why when it had failed).</summary>
    internal void LeaveSavepoint(bool keep)
    {
        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        var link = Link;
        string? failure = frame.Failure;
        if (keep && failure is null)
        {
            try
            {
                link.ReleaseSavepoint(frame.Savepoint!);
                return;
            }
            catch (DbSqlException e) when (e.SqlState == "25P02")
            {
                failure = "an earlier statement in it failed";
            }
        }
        link.RollbackToSavepoint(frame.Savepoint!);
        link.ReleaseSavepoint(frame.Savepoint!);
        if (keep) throw RolledBack(failure!);
    }

    private void RefuseInsideSavepoint(string method)
    {
        if (Depth > 0)
        {
            throw new DbSessionException("PgUsers.SessionNested",
                $"{method}() is not allowed inside a nested Use-DbSession: the block commits to its savepoint when it ends, or rolls back when it throws.");
        }
    }

    private static DbSessionException RolledBack(string failure) => new("PgUsers.SessionRolledBack",
        $"Nothing was committed: the unit of work was rolled back because {failure}.");

    private sealed class Frame
    {
        public Frame(string? savepoint) => Savepoint = savepoint;
        public string? Savepoint { get; }
        public string? Failure { get; set; }
    }
}
