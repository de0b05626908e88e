namespace PgUsers;

/// <summary>No connection became free within PoolTimeout (SQLAlchemy's QueuePool limit error).</summary>
public sealed class DbPoolTimeoutException : TimeoutException
{
    internal DbPoolTimeoutException(int poolSize, int maxOverflow, double timeoutSeconds)
        : base(FormattableString.Invariant(
            $"QueuePool limit of size {poolSize} overflow {maxOverflow} reached, connection timed out, timeout {timeoutSeconds:0.00}. Raise -PoolSize, -MaxOverflow or -PoolTimeout, or return connections sooner."))
    {
        PoolSize = poolSize;
        MaxOverflow = maxOverflow;
        PoolTimeout = timeoutSeconds;
    }

    /// <summary>The engine's PoolSize.</summary>
    public int PoolSize { get; }
    /// <summary>The engine's MaxOverflow.</summary>
    public int MaxOverflow { get; }
    /// <summary>The engine's PoolTimeout in seconds.</summary>
    public double PoolTimeout { get; }
}
