
namespace PgUsers;

/// <summary>
/// A connection pool for one URL (SQLAlchemy's Engine with QueuePool). Lazy: nothing is opened
/// until a command needs a connection. Safe to share between runspaces.
/// </summary>
public sealed class DbEngine : IDisposable
{
    private readonly IPool _pool;
    private int _disposed;
    private string? _warning;

    internal DbEngine(DbUrl url, PoolSettings settings, IPool pool)
    {
        Url = url;
        Settings = settings;
        _pool = pool;
        _warning = pool.Warning;
    }

    /// <summary>The engine's name (given with -Name, or generated).</summary>
    public string Name => Settings.Name;
    /// <summary>The URL it connects to (password masked when shown).</summary>
    public DbUrl Url { get; }
    /// <summary>Connections kept open when idle.</summary>
    public int PoolSize => Settings.PoolSize;
    /// <summary>Connections allowed beyond PoolSize under load.</summary>
    public int MaxOverflow => Settings.MaxOverflow;
    /// <summary>Seconds a caller waits for a free connection.</summary>
    public double PoolTimeout => Settings.PoolTimeoutSeconds;
    /// <summary>Seconds after which a connection is replaced; -1 = never.</summary>
    public int PoolRecycle => Settings.PoolRecycleSeconds;
    /// <summary>Whether a reused connection is checked before it is handed out.</summary>
    public bool PrePing => Settings.PrePing;

    /// <summary>What a connection's return resets: Discard (everything, DISCARD ALL) or Rollback (the transaction only).</summary>
    public string ResetOnReturn => Settings.ResetOnReturn.ToString();

    /// <summary>Open connections (idle + checked out).</summary>
    public int Size => _pool.Status.Open;
    /// <summary>Connections in use right now.</summary>
    public int CheckedOut => _pool.Status.CheckedOut;
    /// <summary>Open connections waiting in the pool.</summary>
    public int Idle => _pool.Status.Idle;
    /// <summary>Open connections beyond PoolSize.</summary>
    public int Overflow => Math.Max(0, _pool.Status.Open - PoolSize);
    /// <summary>Each host of the URL and what the engine last saw it to be (primary, standby, unreachable, unknown).</summary>
    public DbHostState[] Hosts => _pool.Hosts.ToArray();
    /// <summary>True once Remove-DbEngine (or module removal) disposed it.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal PoolSettings Settings { get; }

    internal IDbLink Acquire(CancellationToken cancellationToken, TargetSession target = TargetSession.Default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (Settings.Passwords is null) return _pool.Acquire(cancellationToken, target);
        using (CallerThread.Enter())
        {
            return _pool.Acquire(cancellationToken, target);
        }
    }

    /// <summary>Writes the engine's warning to the first command that makes or uses it, and never again.</summary>
    internal void WarnOnce(System.Management.Automation.Cmdlet cmdlet)
    {
        if (Interlocked.Exchange(ref _warning, null) is { } warning) cmdlet.WriteWarning(warning);
    }

    /// <summary>Closes every connection of the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _pool.Dispose();
            Settings.Passwords?.Dispose();
        }
    }

    /// <summary>Engine(url) with the password masked, as SQLAlchemy shows it.</summary>
    public override string ToString() => $"Engine({Url})";
}
