using Npgsql;
using NpgsqlTypes;

namespace PgUsers.Driver;

/// <summary>A checked-out Npgsql connection behind <see cref="IDbLink"/>.</summary>
internal sealed partial class Link : IDbLink
{
    private readonly NpgsqlConnection _connection;
    private readonly DbUrl _url;
    private Action<Link>? _giveBack;
    private readonly Action? _onBroken;
    private NpgsqlTransaction? _transaction;
    private volatile RunningQuery? _reading;
    private readonly TypeCatalog? _types;
    private int _typesLoaded;
    private bool _typesChanging;
    // A row-returning statement's savepoint of ours is the newest on the transaction's stack: the next statement releases it first,
    // so a write never runs inside it (where it would take a subtransaction id).
    private bool _statementSavepoint;
    private bool _guardStatements;
    // One delegate for both += and -=: a method group would make a new one each time.
    private readonly NoticeEventHandler _onNotice;
    private readonly Action _readerDone;
    private int _closed;

    /// <summary>For the pool, when the link comes back: its connection to reset.</summary>
    internal NpgsqlConnection Connection => _connection;

    private const string StatementSavepoint = "pgusers_statement";

    /// <param name="giveBack">Takes the connection back when the link is disposed (its pool resets or closes it).</param>
    /// <param name="onBroken">Called when the connection comes back broken (server gone, backend killed).</param>
    public Link(NpgsqlConnection connection, Action<Link>? giveBack, DbUrl url, Action? onBroken = null, TypeCatalog? types = null)
    {
        _connection = connection;
        _giveBack = giveBack;
        _url = url.Hosts.Count > 1 ? OnlyHost(url, connection) : url;
        _onBroken = onBroken;
        _types = types;
        _typesLoaded = types?.Loaded ?? 0;
        _onNotice = OnNotice;
        _connection.Notice += _onNotice;
        _readerDone = ReaderDone;
    }

    public Action<DbNotice>? Notices { get; set; }

    /// <summary>
    /// The URL narrowed to the host this connection reached, so that a lost connection names that server, not
    /// every host of a multi-host URL.
    /// </summary>
    private static DbUrl OnlyHost(DbUrl url, NpgsqlConnection connection)
    {
        try
        {
            return new DbUrl(url.Drivername, url.Username, url.Password, new[] { new DbHost(connection.Host ?? "", connection.Port) },
                url.Database, url.QueryPairs);
        }
        catch (DbConfigurationException)
        {
            return url;
        }
    }

    private void OnNotice(object sender, NpgsqlNoticeEventArgs e)
    {
        var notice = e.Notice;
        Notices?.Invoke(new DbNotice(notice.InvariantSeverity, notice.SqlState, Errors.Redact(notice.MessageText, _url),
            Errors.Redact(notice.Detail, _url), notice.Hint));
    }

    public bool Busy => (_connection.FullState & (System.Data.ConnectionState.Fetching | System.Data.ConnectionState.Executing)) != 0;

    public void InterruptRead() => _reading?.Interrupt();

    public void Begin(bool guardStatements = false) => Guard(() =>
    {
        _statementSavepoint = false;
        _transaction = _connection.BeginTransaction();
        _guardStatements = guardStatements;
    });

    public void Commit() => Guard(() =>
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No transaction to commit.");
        _transaction = null;
        _statementSavepoint = false;
        transaction.Commit();
        transaction.Dispose();
    });

    public void Rollback() => Guard(() =>
    {
        var transaction = _transaction;
        _transaction = null;
        _statementSavepoint = false;
        transaction?.Rollback();
        transaction?.Dispose();
    });

    public void Savepoint(string name) => Guard(() =>
    {
        if (_statementSavepoint) ReleaseStatementSavepoint();
        Transaction.Save(name);
    });
    public void RollbackToSavepoint(string name) => Guard(() => Transaction.Rollback(name));
    public void ReleaseSavepoint(string name) => Guard(() => Transaction.Release(name));

    // Any savepoint of the unit of work's own makes ours unreachable by name, or destroys it: start afresh.
    private NpgsqlTransaction Transaction
    {
        get
        {
            _statementSavepoint = false;
            return _transaction ?? throw new InvalidOperationException("No transaction is open.");
        }
    }

    public IRowReader ExecuteReader(DbStatement statement, CancellationToken cancellationToken)
        => new RowReader(Start(statement, cancellationToken), statement.JsonAsText, _types is null ? null : _types.Changed);

    /// <summary>The first column of the first row, converted as a row's would be; the rest of the text still runs to its end.</summary>
    public object? ExecuteScalar(DbStatement statement, CancellationToken cancellationToken)
    {
        using var use = Enter();
        using var command = Running(Command(statement));
        using var registration = cancellationToken.Register(Cancel, command);
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.FieldCount == 0 && reader.NextResult())
            {
            }
            if (reader.FieldCount == 0 || !reader.Read() || reader.IsDBNull(0)) return null;
            if (Values.IsUnknown(reader, 0)) _types?.Changed();
            object value = RowReader.One(reader, 0);
            return Values.For(reader, 0, statement.JsonAsText) is { } convert ? convert(value) : value;
        }
        catch (Exception e)
        {
            throw Fail(e, statement.Sql, Parameters.Names(statement.Parameters), cancellationToken);
        }
    }

    public long ExecuteNonQuery(DbStatement statement, CancellationToken cancellationToken)
    {
        using var use = Enter();
        using var command = Running(Command(statement));
        using var registration = cancellationToken.Register(Cancel, command);
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (Exception e)
        {
            throw Fail(e, statement.Sql, Parameters.Names(statement.Parameters), cancellationToken);
        }
    }

    public long ExecuteBatched(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        using var use = Enter();
        using var batch = Running(Batch(sql, parameterSets, timeoutSeconds));
        if (batch.BatchCommands.Count == 0) return 0;
        using var registration = cancellationToken.Register(Cancel, batch);
        try
        {
            batch.ExecuteNonQuery();
            long total = 0;
            foreach (var item in batch.BatchCommands) total += Math.Max(0L, (long)item.RecordsAffected);
            return total;
        }
        catch (Exception e)
        {
            throw Fail(e, sql, Parameters.Names(batch), cancellationToken);
        }
    }

    public IRowReader ExecuteBatchedReader(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds, CancellationToken cancellationToken, bool jsonAsText = false)
    {
        var use = Enter();
        NpgsqlBatch batch;
        try
        {
            batch = Running(Batch(sql, parameterSets, timeoutSeconds));
        }
        catch
        {
            use.Dispose();
            throw;
        }
        var registration = cancellationToken.Register(Cancel, batch);
        try
        {
            var running = new RunningQuery(batch, () => Cancel(batch), batch.ExecuteReader(), registration,
                drainOnEarlyStop: _transaction is not null, _url, cancellationToken, onDone: _readerDone);
            _reading = running;
            return new RowReader(running, jsonAsText, _types is null ? null : _types.Changed);
        }
        catch (Exception e)
        {
            registration.Dispose();
            var names = Parameters.Names(batch);
            batch.Dispose();
            use.Dispose();
            throw Fail(e, sql, names, cancellationToken);
        }
    }

    private NpgsqlBatch Batch(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds)
    {
        BeforeStatement(sql);
        if (_statementSavepoint) Guard(ReleaseStatementSavepoint);
        var batch = new NpgsqlBatch(_connection, _transaction) { Timeout = timeoutSeconds ?? 0 };
        foreach (var set in parameterSets)
        {
            var item = new NpgsqlBatchCommand(sql);
            foreach (var (name, value) in set) item.Parameters.Add(Parameters.UntypedText(Parameters.Of(name, value)));
            batch.BatchCommands.Add(item);
        }
        return batch;
    }

    public long CopyIn(string table, IReadOnlyList<CopyColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        string copySql = $"COPY {table} ({string.Join(", ", columns.Select(c => QuoteIdentifier(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        return CopyValues.Encodes(columns) ? CopyInEncoded(copySql, columns.ToArray(), rows, cancellationToken) : CopyInImporter(copySql, columns, rows, cancellationToken);
    }

    // Rows encoded here (CopyValues.Encode) and sent as raw COPY data, a buffer at a time.
    private long CopyInEncoded(string copySql, CopyColumn[] kinds, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        const int SendAt = 60 * 1024;
        using var copy = StartRawCopy(copySql, cancellationToken);
        var buffer = new CopyBuffer(SendAt + 4096);
        long count = 0;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buffer.StartRow(kinds.Length);
            for (int i = 0; i < kinds.Length; i++) CopyValues.Encode(buffer, row[i], kinds[i]);
            count++;
            if (buffer.Length < SendAt) continue;
            copy.Write(buffer.Bytes, buffer.Length);
            buffer.Clear();
        }
        buffer.WriteTrailer();
        copy.Write(buffer.Bytes, buffer.Length);
        copy.Complete();
        return count;
    }

    private long CopyInImporter(string copySql, IReadOnlyList<CopyColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        using var use = Enter();
        var kinds = columns.ToArray();
        long count = 0;
        try
        {
            using var importer = _connection.BeginBinaryImport(copySql);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                importer.StartRow();
                for (int i = 0; i < kinds.Length; i++) CopyValues.Write(importer, row[i], kinds[i]);
                count++;
            }
            importer.Complete();
            return count;
        }
        catch (Exception e)
        {
            throw Errors.Translate(e, _url, cancellationToken, _connection);
        }
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Starts a statement; the returned reader stops it on the server if disposed early.</summary>
    /// <remarks>
    /// Inside a session a statement that returns rows (<see cref="StatementKind"/>) runs under a savepoint sent with it
    /// (no extra round trip), so a read abandoned early (<see cref="InterruptRead"/>, as a pipeline stopped by Select-Object -First does)
    /// cancels it and rolls back to the savepoint: the unit of work goes on without the stopped statement's effects,
    /// instead of reading every remaining row to stay usable. A statement that returns no rows runs plainly and
    /// takes no subtransaction id; one misjudged so, stopped early, still drains, keeping its effects.
    /// </remarks>
    private RunningQuery Start(DbStatement statement, CancellationToken cancellationToken)
    {
        var use = Enter();
        bool inSession = _transaction is not null && _guardStatements;
        bool guarded = inSession && StatementKind.ReturnsRows(statement.Sql);
        NpgsqlCommand command;
        try
        {
            command = Running(Command(statement, guarded));
        }
        catch
        {
            use.Dispose();
            throw;
        }
        var registration = cancellationToken.Register(Cancel, command);
        try
        {
            var running = new RunningQuery(command, () => Cancel(command), command.ExecuteReader(), registration, drainOnEarlyStop: inSession, _url, cancellationToken,
                undo: guarded ? UndoStoppedStatement : null, onDone: _readerDone);
            _reading = running;
            return running;
        }
        catch (Exception e)
        {
            registration.Dispose();
            command.Dispose();
            use.Dispose();
            throw Fail(e, statement.Sql, Parameters.Names(statement.Parameters), cancellationToken);
        }
    }

    /// <summary>A failed statement as a PgUsers exception; a forgotten @name is said to be one, not a missing column.</summary>
    private Exception Fail(Exception e, string sql, (string[] Given, string[] Untyped) names, CancellationToken cancellationToken) => Aborted
        ? Removed()
        : Errors.MissingParameter(e, sql, names.Given, _url) ?? Errors.UntypedParameter(e, names.Untyped)
            ?? Errors.Translate(e, _url, cancellationToken, _connection);

    private void ReleaseStatementSavepoint()
    {
        _statementSavepoint = false;
        using var command = new NpgsqlCommand($"RELEASE SAVEPOINT {StatementSavepoint}", _connection, _transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>After a stopped statement's cancel: back to its savepoint, so the transaction is usable again.</summary>
    private void UndoStoppedStatement()
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using var command = new NpgsqlCommand($"ROLLBACK TO SAVEPOINT {StatementSavepoint}", _connection, _transaction);
                command.ExecuteNonQuery();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && attempt == 0)
            {
                // Our cancel came late and hit this command instead: once more.
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                // The connection is broken: the next command reports it; the unit of work cannot commit.
                return;
            }
        }
    }

    /// <param name="guarded">Run it under a savepoint of its own, left open until the next statement (see <see cref="Start"/>).</param>
    private NpgsqlCommand Command(DbStatement statement, bool guarded = false)
    {
        BeforeStatement(statement.Sql);
        NpgsqlCommand command;
        try
        {
            // The last read's savepoint is released, and this one's made, in the statement's own round trip.
            string sql = statement.Sql;
            if (guarded) sql = $"SAVEPOINT {StatementSavepoint};\n" + sql;
            if (_statementSavepoint) sql = $"RELEASE SAVEPOINT {StatementSavepoint};\n" + sql;
            _statementSavepoint = guarded;
            command = new NpgsqlCommand(sql, _connection, _transaction) { CommandTimeout = statement.TimeoutSeconds ?? 0 };
        }
        catch (InvalidOperationException e)
        {
            // The transaction ended under us: the connection broke since the last statement.
            throw Errors.Translate(e, _url, default, _connection);
        }
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.Add(Parameters.Of(name, value));
        }
        return command;
    }

    /// <summary>
    /// Reloads the type cache when types changed since this connection loaded it (a statement of ours created
    /// one, or a read met an unknown one), so a new enum or composite reads exactly from the next statement on.
    /// </summary>
    private void BeforeStatement(string sql)
    {
        if (_types is null) return;
        if (_typesChanging)
        {
            _typesChanging = false;
            _types.Changed();
        }
        int generation = _types.Generation;
        if (generation != _typesLoaded && !Busy)
        {
            try
            {
                _connection.ReloadTypes();
                _typesLoaded = generation;
                _types.Reloaded(generation);
            }
            catch (Exception e)
            {
                throw Errors.Translate(e, _url);
            }
        }
        _typesChanging = TypeCatalog.ChangesTypes(sql);
    }

    private static void Cancel(object? state)
    {
        try
        {
            // A command or a batch: both send PostgreSQL's cancel request for what is running.
            if (state is NpgsqlBatch batch) batch.Cancel();
            else ((NpgsqlCommand)state!).Cancel();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // The statement already finished, or the connection is gone: nothing left to stop.
        }
    }

    private void Guard(Action action)
    {
        using var use = Enter();
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw Aborted ? Removed() : Errors.Translate(e, _url, default, _connection);
        }
    }

    /// <summary>Rolls back what is open and hands the connection back to its pool, which resets it.</summary>
    public void Dispose()
    {
        // Once: the owner and an Abort from another thread may both get here.
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        if (_typesChanging) _types?.Changed();
        var giveBack = Interlocked.Exchange(ref _giveBack, null);
        if (_connection.FullState == System.Data.ConnectionState.Broken) _onBroken?.Invoke();
        try
        {
            if (_transaction is { } transaction)
            {
                _transaction = null;
                try { transaction.Rollback(); } catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException) { }
                transaction.Dispose();
            }
            _connection.Notice -= _onNotice;
        }
        finally
        {
            // The pool resets the connection (or closes it) and frees its slot; without a pool it just closes.
            if (giveBack is null) _connection.Dispose();
            else giveBack(this);
        }
    }
}
