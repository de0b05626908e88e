namespace PgUsers.Engine;

internal interface IPool : IDisposable
{
    PoolStatus Status { get; }

    /// <summary>Each host of the URL and what the pool last saw it to be.</summary>
    IReadOnlyList<DbHostState> Hosts { get; }

    /// <summary>What the user should hear once about how the pool was made (libpq's warning about a password file it refused), or null.</summary>
    string? Warning { get; }

    /// <summary>
    /// Checks a connection to a server of the <paramref name="target"/> kind out, under the one bound of
    /// the pool whatever the kind; waits up to PoolTimeout, then throws <see cref="DbPoolTimeoutException"/>.
    /// No server of that kind: <see cref="DbServerKindException"/>, or <see cref="DbConnectionLostException"/>
    /// when one answered before (a failover under way).
    /// </summary>
    IDbLink Acquire(CancellationToken cancellationToken, TargetSession target = TargetSession.Default);
}
