namespace PgUsers.Engine;

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
    /// From any thread (the engine removed, the owning runspace closed): cancels a statement running on the
    /// connection on the server, then rolls back and returns the connection as soon as that statement ends
    /// (at once when idle). Any later use throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    void Abort();

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
