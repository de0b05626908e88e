namespace PgUsers.Internal;

/// <summary>The seam between the cmdlet assembly and the Npgsql side (PgUsers.Engine).</summary>
/// <remarks>Only PgUsers types and BCL types cross it, so Npgsql never leaks into the public surface.</remarks>
internal interface IDriver
{
    /// <summary>Creates a lazy pool; opens nothing. Throws <see cref="DbConfigurationException"/> for an unmappable URL option.</summary>
    IPool CreatePool(DbUrl url, PoolSettings settings);
}

internal sealed record PoolSettings(
    string Name,
    int PoolSize,
    int MaxOverflow,
    double PoolTimeoutSeconds,
    int PoolRecycleSeconds,
    bool PrePing,
    PasswordProvider? Passwords = null)
{
    /// <summary>New-DbEngine's defaults: SQLAlchemy's QueuePool of 5 + 10, 30 s timeout, never recycled.</summary>
    public static PoolSettings Defaults(string name) => new(name, 5, 10, 30, -1, false);
}

internal readonly record struct PoolStatus(int Open, int CheckedOut, int Idle);

/// <summary>
/// The kind of server a connection must reach: libpq's target_session_attrs, plus Default (the URL's
/// own choice) and Npgsql's prefer-primary.
/// </summary>
internal enum TargetSession
{
    Default,
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
    PreferPrimary,
}

internal interface IPool : IDisposable
{
    PoolStatus Status { get; }

    /// <summary>Each host of the URL and what the pool last saw it to be.</summary>
    IReadOnlyList<DbHostState> Hosts { get; }

    /// <summary>
    /// Checks a connection to a server of the <paramref name="target"/> kind out, under the one bound of
    /// the pool whatever the kind; waits up to PoolTimeout, then throws <see cref="DbPoolTimeoutException"/>.
    /// No server of that kind: <see cref="DbServerKindException"/>, or <see cref="DbConnectionLostException"/>
    /// when one answered before (a failover under way).
    /// </summary>
    IDbLink Acquire(CancellationToken cancellationToken, TargetSession target = TargetSession.Default);
}

/// <summary>A checked-out connection. Dispose returns it to the pool clean (any open transaction rolled back).</summary>
internal partial interface IDbLink : IDisposable
{

    /// <summary>A reader is still open on the connection (an upstream command streaming rows): no other statement can run yet.</summary>
    bool Busy { get; }

    /// <summary>Where the server's notices go (on the thread that reads them); null drops them.</summary>
    Action<DbNotice>? Notices { get; set; }

    /// <summary>
    /// The rows being read are no longer wanted (a pipeline stopped early): cancels the statement on the
    /// server. Inside a transaction a statement run under its own savepoint is cancelled and rolled back to
    /// it when its reader is disposed, so the unit of work goes on; any other is left to drain.
    /// </summary>
    void InterruptRead();

    /// <summary>
    /// Starts a transaction. A unit of work that outlives one command (a session) guards its statements: each
    /// reader runs under a savepoint, so one abandoned early can be cancelled without dooming the unit.
    /// </summary>
    void Begin(bool guardStatements = false);
    void Commit();
    void Rollback();
    void Savepoint(string name);
    void RollbackToSavepoint(string name);
    void ReleaseSavepoint(string name);

    IRowReader ExecuteReader(DbStatement statement, CancellationToken cancellationToken);
    object? ExecuteScalar(DbStatement statement, CancellationToken cancellationToken);
    long ExecuteNonQuery(DbStatement statement, CancellationToken cancellationToken);

    /// <summary>Runs one statement for each parameter set, sent in batches; returns the total rows affected.</summary>
    long ExecuteBatched(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds, CancellationToken cancellationToken);

    /// <summary>Like <see cref="ExecuteBatched"/>, streaming the rows the executions return; each execution is one result set.</summary>
    IRowReader ExecuteBatchedReader(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds, CancellationToken cancellationToken, bool jsonAsText = false);

    /// <summary>
    /// Binary COPY of <paramref name="rows"/> into <paramref name="table"/> (an already-quoted name), one
    /// COPY statement for all of them; values are in <paramref name="columns"/> order, null as NULL.
    /// Returns the count copied. Stopped by <paramref name="cancellationToken"/>, nothing of it lands.
    /// </summary>
    long CopyIn(string table, IReadOnlyList<CopyColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken);
}

/// <summary>A column that a COPY writes, with the type its values are encoded as.</summary>
internal readonly record struct CopyColumn(string Name, ColumnType Type);

internal sealed class DbStatement
{
    public DbStatement(string sql, IReadOnlyList<KeyValuePair<string, object?>>? parameters = null, int? timeoutSeconds = null)
    {
        Sql = sql;
        Parameters = parameters ?? Array.Empty<KeyValuePair<string, object?>>();
        TimeoutSeconds = timeoutSeconds;
    }

    public string Sql { get; }
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }
    public int? TimeoutSeconds { get; }

    /// <summary>json and jsonb values as their text instead of PSCustomObjects and arrays (-JsonAs String).</summary>
    public bool JsonAsText { get; init; }
}

/// <summary>A forward-only row stream. Dispose before the end stops the read on the server (no draining).</summary>
internal interface IRowReader : IDisposable
{
    IReadOnlyList<string> Columns { get; }
    bool Read();

    /// <summary>Current row's values, SQL NULL as null, into a fresh array.</summary>
    object?[] GetValues();

    /// <summary>Which result set the current row belongs to, from 0 (one per statement, or per execution of a batch).</summary>
    int ResultIndex { get; }
}
