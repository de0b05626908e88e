using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// A command (or batch) with its open reader. Disposed before the end, it cancels the statement on the server
/// rather than draining the remaining rows — except inside a transaction, where a cancel would abort the
/// unit of work, so the rest is read and dropped. A statement run there under its own savepoint
/// (<c>undo</c> rolls back to it) can still be abandoned: <see cref="Interrupt"/> marks it so, and then
/// Dispose cancels it and undoes it, and the unit of work goes on without its effects.
/// </summary>
internal sealed class RunningQuery : IDisposable
{
    private readonly IDisposable _command;
    private readonly Action _cancel;
    private readonly CancellationTokenRegistration _registration;
    private readonly bool _drainOnEarlyStop;
    private readonly Action? _undo;
    private readonly DbUrl _url;
    private readonly CancellationToken _cancellationToken;
    private volatile bool _finished;
    private volatile bool _disposed;
    private volatile bool _abandoned;
    private volatile bool _aborted;
    private readonly Action? _onDone;

    public RunningQuery(IDisposable command, Action cancel, NpgsqlDataReader reader, CancellationTokenRegistration registration,
        bool drainOnEarlyStop, DbUrl url, CancellationToken cancellationToken, Action? undo = null, Action? onDone = null)
    {
        _undo = undo;
        _onDone = onDone;
        _command = command;
        _cancel = cancel;
        Reader = reader;
        _registration = registration;
        _drainOnEarlyStop = drainOnEarlyStop;
        _url = url;
        _cancellationToken = cancellationToken;
    }

    public NpgsqlDataReader Reader { get; }

    /// <summary>Next row of any result set that has columns; false at the very end.</summary>
    public bool Read()
    {
        try
        {
            while (true)
            {
                if (Reader.FieldCount > 0 && Reader.Read()) return true;
                if (!Reader.NextResult())
                {
                    _finished = true;
                    return false;
                }
                ResultIndex++;
                ResultChanged?.Invoke();
            }
        }
        catch (Exception e)
        {
            _finished = true;
            throw _aborted ? Link.Removed() : Errors.Translate(e, _url, _cancellationToken);
        }
    }

    /// <summary>Which result set (statement of the text, or command of a batch) the current row belongs to, from 0.</summary>
    public int ResultIndex { get; private set; }

    /// <summary>Raised when the reader moves to the next result set.</summary>
    public Action? ResultChanged { get; set; }

    /// <summary>
    /// The reader no longer wants the rows (stopped early, or another thread blocked on the server): cancels the
    /// statement if its rows are still coming, when that can be done without dooming a unit of work.
    /// </summary>
    public void Interrupt()
    {
        if (_finished || _disposed || (_drainOnEarlyStop && _undo is null)) return;
        _abandoned = true;
        _cancel();
    }

    /// <summary>The connection is being closed from another thread: stop the statement on the server now.</summary>
    public void Abort()
    {
        if (_finished || _disposed) return;
        _aborted = true;
        _cancel();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            Stop();
        }
        finally
        {
            _onDone?.Invoke();
        }
    }

    private void Stop()
    {
        bool abandoned = !_finished && (!_drainOnEarlyStop || _abandoned || _aborted);
        if (abandoned)
        {
            try
            {
                _cancel();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
            }
        }
        try
        {
            Reader.Dispose();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            // Our own cancel, for a read the pipeline no longer wants.
        }
        catch (Exception e) when ((_aborted || _cancellationToken.IsCancellationRequested) && e is NpgsqlException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _registration.Dispose();
            _command.Dispose();
        }
        if (abandoned && !_aborted && !_cancellationToken.IsCancellationRequested) _undo?.Invoke();
    }
}
