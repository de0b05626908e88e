using Npgsql;
using NpgsqlTypes;

namespace PgUsers.Driver;

/// <summary>A checked-out Npgsql connection behind <see cref="IDbLink"/>.</summary>
internal sealed partial class Link : IDbLink
{
    private readonly NpgsqlConnection _connection;
    private readonly DbUrl _url;
    private Action? _onReturn;
    private readonly Action? _onBroken;
    private NpgsqlTransaction? _transaction;
    private volatile RunningQuery? _reading;
    private readonly TypeCatalog? _types;
    private int _typesLoaded;
    private bool _typesChanging;
    // A statement savepoint of ours is the newest on the transaction's stack: the next statement releases it first.
    private bool _statementSavepoint;
    private bool _guardStatements;
    // One delegate for both += and -=: a method group would make a new one each time.
    private readonly NoticeEventHandler _onNotice;

    private const string StatementSavepoint = "pgusers_statement";

    /// <param name="onBroken">Called when the connection comes back broken (server gone, backend killed).</param>
    public Link(NpgsqlConnection connection, Action? onReturn, DbUrl url, Action? onBroken = null, TypeCatalog? types = null)
    {
        _connection = connection;
        _onReturn = onReturn;
        _url = url;
        _onBroken = onBroken;
        _types = types;
        _typesLoaded = types?.Loaded ?? 0;
        _onNotice = OnNotice;
        _connection.Notice += _onNotice;
    }

    public Action<DbNotice>? Notices { get; set; }

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

    public void Savepoint(string name) => Guard(() => Transaction.Save(name));
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
        using var command = Command(statement);
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
            throw Fail(e, statement.Sql, Names(statement.Parameters), cancellationToken);
        }
    }

    public long ExecuteNonQuery(DbStatement statement, CancellationToken cancellationToken)
    {
        using var command = Command(statement);
        using var registration = cancellationToken.Register(Cancel, command);
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (Exception e)
        {
            throw Fail(e, statement.Sql, Names(statement.Parameters), cancellationToken);
        }
    }

    public long ExecuteBatched(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        using var batch = Batch(sql, parameterSets, timeoutSeconds);
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
            throw Fail(e, sql, Names(batch), cancellationToken);
        }
    }

    public IRowReader ExecuteBatchedReader(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds, CancellationToken cancellationToken, bool jsonAsText = false)
    {
        var batch = Batch(sql, parameterSets, timeoutSeconds);
        var registration = cancellationToken.Register(Cancel, batch);
        try
        {
            var running = new RunningQuery(batch, () => Cancel(batch), batch.ExecuteReader(), registration,
                drainOnEarlyStop: _transaction is not null, _url, cancellationToken);
            _reading = running;
            return new RowReader(running, jsonAsText, _types is null ? null : _types.Changed);
        }
        catch (Exception e)
        {
            registration.Dispose();
            var names = Names(batch);
            batch.Dispose();
            throw Fail(e, sql, names, cancellationToken);
        }
    }

    private NpgsqlBatch Batch(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds)
    {
        BeforeStatement(sql);
        var batch = new NpgsqlBatch(_connection, _transaction) { Timeout = timeoutSeconds ?? 0 };
        foreach (var set in parameterSets)
        {
            var item = new NpgsqlBatchCommand(sql);
            foreach (var (name, value) in set) item.Parameters.Add(UntypedText(Parameter(name, value)));
            batch.BatchCommands.Add(item);
        }
        return batch;
    }

    public long CopyIn(string table, IReadOnlyList<CopyColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var kinds = columns.ToArray();
        long count = 0;
        try
        {
            string names = string.Join(", ", columns.Select(c => QuoteIdentifier(c.Name)));
            using var importer = _connection.BeginBinaryImport($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)");
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
    /// Inside a transaction the statement runs under a savepoint sent with it (no extra round trip), so a
    /// read abandoned early (<see cref="InterruptRead"/>, as a pipeline stopped by Select-Object -First does)
    /// cancels it and rolls back to the savepoint: the unit of work goes on without the stopped statement's
    /// effects, instead of reading every remaining row to stay usable. A reader merely disposed before its
    /// end (a caller that wanted one row of an INSERT ... RETURNING) still drains, keeping the effects.
    /// </remarks>
    private RunningQuery Start(DbStatement statement, CancellationToken cancellationToken)
    {
        bool guarded = _transaction is not null && _guardStatements;
        var command = Command(statement);
        if (guarded)
        {
            command.CommandText = (_statementSavepoint ? $"RELEASE SAVEPOINT {StatementSavepoint}; " : "") + $"SAVEPOINT {StatementSavepoint};\n" + command.CommandText;
            _statementSavepoint = true;
        }
        var registration = cancellationToken.Register(Cancel, command);
        try
        {
            var running = new RunningQuery(command, () => Cancel(command), command.ExecuteReader(), registration, drainOnEarlyStop: guarded, _url, cancellationToken,
                undo: guarded ? UndoStoppedStatement : null);
            _reading = running;
            return running;
        }
        catch (Exception e)
        {
            registration.Dispose();
            command.Dispose();
            throw Fail(e, statement.Sql, Names(statement.Parameters), cancellationToken);
        }
    }

    /// <summary>A failed statement as a PgUsers exception; a forgotten @name is said to be one, not a missing column.</summary>
    private Exception Fail(Exception e, string sql, IReadOnlyList<string> given, CancellationToken cancellationToken) =>
        Errors.MissingParameter(e, sql, given, _url) ?? Errors.Translate(e, _url, cancellationToken, _connection);

    private static string[] Names(IReadOnlyList<KeyValuePair<string, object?>> parameters) => parameters.Select(p => p.Key).ToArray();

    private static string[] Names(NpgsqlBatch batch) =>
        batch.BatchCommands.Count == 0 ? Array.Empty<string>() : batch.BatchCommands[0].Parameters.Select(p => p.ParameterName).ToArray();

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

    private NpgsqlCommand Command(DbStatement statement)
    {
        BeforeStatement(statement.Sql);
        NpgsqlCommand command;
        try
        {
            command = new NpgsqlCommand(statement.Sql, _connection, _transaction) { CommandTimeout = statement.TimeoutSeconds ?? 0 };
        }
        catch (InvalidOperationException e)
        {
            // The transaction ended under us: the connection broke since the last statement.
            throw Errors.Translate(e, _url, default, _connection);
        }
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.Add(Parameter(name, value));
        }
        return command;
    }

    private static NpgsqlParameter Parameter(string name, object? value) => value is JsonText json
        // Untyped, so the server reads it as whichever of json and jsonb the statement wants.
        ? new(name, NpgsqlDbType.Unknown) { Value = json.Text }
        : new(name, value ?? DBNull.Value);

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

    /// <summary>
    /// Pipeline input is mostly CSV text: send strings as untyped literals so the server reads
    /// '42' into a bigint column as it would a quoted literal, instead of refusing text for bigint.
    /// </summary>
    private static NpgsqlParameter UntypedText(NpgsqlParameter parameter)
    {
        if (parameter.Value is string) parameter.NpgsqlDbType = NpgsqlDbType.Unknown;
        return parameter;
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
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw Errors.Translate(e, _url, default, _connection);
        }
    }

    /// <summary>Rolls back what is open and returns the connection to the pool.</summary>
    public void Dispose()
    {
        if (_typesChanging) _types?.Changed();
        var onReturn = Interlocked.Exchange(ref _onReturn, null);
        if (onReturn is null && _connection.State == System.Data.ConnectionState.Closed) return;
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
            _connection.Dispose();
        }
        finally
        {
            onReturn?.Invoke();
        }
    }
}
