using Npgsql;
using NpgsqlTypes;
using PgUsers.Internal;

namespace PgUsers.Engine;

/// <summary>A checked-out Npgsql connection behind <see cref="IDbLink"/>.</summary>
internal sealed class Link : IDbLink
{
    private readonly NpgsqlConnection _connection;
    private readonly DbUrl _url;
    private Action? _onReturn;
    private NpgsqlTransaction? _transaction;
    private volatile RunningQuery? _reading;
    // A statement savepoint of ours is the newest on the transaction's stack: the next statement releases it first.
    private bool _statementSavepoint;
    private bool _guardStatements;

    private const string StatementSavepoint = "pgusers_statement";

    public Link(NpgsqlConnection connection, Action? onReturn, DbUrl url)
    {
        _connection = connection;
        _onReturn = onReturn;
        _url = url;
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
        => new RowReader(Start(statement, cancellationToken));

    public object? ExecuteScalar(DbStatement statement, CancellationToken cancellationToken)
    {
        using var command = Command(statement);
        using var registration = cancellationToken.Register(Cancel, command);
        try
        {
            object? value = command.ExecuteScalar();
            return value is DBNull ? null : RowReader.Public(value);
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

    public IRowReader ExecuteBatchedReader(string sql, IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> parameterSets, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var batch = Batch(sql, parameterSets, timeoutSeconds);
        var registration = cancellationToken.Register(Cancel, batch);
        try
        {
            var running = new RunningQuery(batch, () => Cancel(batch), batch.ExecuteReader(), registration,
                drainOnEarlyStop: _transaction is not null, _url, cancellationToken);
            _reading = running;
            return new RowReader(running);
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
        var batch = new NpgsqlBatch(_connection, _transaction) { Timeout = timeoutSeconds ?? 0 };
        foreach (var set in parameterSets)
        {
            var item = new NpgsqlBatchCommand(sql);
            foreach (var (name, value) in set) item.Parameters.Add(UntypedText(Parameter(name, value)));
            batch.BatchCommands.Add(item);
        }
        return batch;
    }

    public IEnumerable<User> ReadUsers(DbStatement statement, bool withDepth, CancellationToken cancellationToken)
    {
        using var running = Start(statement, cancellationToken);
        var reader = running.Reader;
        while (running.Read())
        {
            yield return new User(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDateTime(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                withDepth ? reader.GetInt32(6) : null);
        }
    }

    public long CopyUsers(string table, IEnumerable<User> users, CancellationToken cancellationToken)
    {
        long count = 0;
        try
        {
            using var importer = _connection.BeginBinaryImport(
                $"COPY {table} ({UserColumns.Select}) FROM STDIN (FORMAT BINARY)");
            foreach (var user in users)
            {
                cancellationToken.ThrowIfCancellationRequested();
                importer.StartRow();
                importer.Write(user.TelegramId, NpgsqlDbType.Bigint);
                importer.Write(user.FullName, NpgsqlDbType.Varchar);
                WriteNullable(importer, user.Username, NpgsqlDbType.Varchar);
                importer.Write(user.LanguageCode, NpgsqlDbType.Varchar);
                // created_at is a timestamp without time zone: a UTC time is stored as this machine's wall-clock time.
                if (user.CreatedAt is DateTime created) importer.Write(created.Kind == DateTimeKind.Utc ? created.ToLocalTime() : created, NpgsqlDbType.Timestamp);
                else importer.WriteNull();
                if (user.ReferrerId is long referrer) importer.Write(referrer, NpgsqlDbType.Bigint);
                else importer.WriteNull();
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

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is null) importer.WriteNull();
        else importer.Write(value, type);
    }

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

    private static NpgsqlParameter Parameter(string name, object? value) => new(name, value ?? DBNull.Value);

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
        var onReturn = Interlocked.Exchange(ref _onReturn, null);
        if (onReturn is null && _connection.State == System.Data.ConnectionState.Closed) return;
        try
        {
            if (_transaction is { } transaction)
            {
                _transaction = null;
                try { transaction.Rollback(); } catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException) { }
                transaction.Dispose();
            }
            _connection.Dispose();
        }
        finally
        {
            onReturn?.Invoke();
        }
    }
}
