using Npgsql;

namespace PgUsers.Engine;

/// <summary>
/// A command (or batch) with its open reader. Disposed before the end, it cancels the statement on the server
/// rather than draining the remaining rows — except inside a transaction, where a cancel would
/// abort the unit of work, so the rest is read and dropped.
/// </summary>
internal sealed class RunningQuery : IDisposable
{
    private readonly IDisposable _command;
    private readonly Action _cancel;
    private readonly CancellationTokenRegistration _registration;
    private readonly bool _drainOnEarlyStop;
    private readonly DbUrl _url;
    private readonly CancellationToken _cancellationToken;
    private volatile bool _finished;
    private volatile bool _disposed;

    public RunningQuery(IDisposable command, Action cancel, NpgsqlDataReader reader, CancellationTokenRegistration registration,
        bool drainOnEarlyStop, DbUrl url, CancellationToken cancellationToken)
    {
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
            throw Errors.Translate(e, _url, _cancellationToken);
        }
    }

    /// <summary>Which result set (statement of the text, or command of a batch) the current row belongs to, from 0.</summary>
    public int ResultIndex { get; private set; }

    /// <summary>Raised when the reader moves to the next result set.</summary>
    public Action? ResultChanged { get; set; }

    /// <summary>Cancels the statement on the server if its rows are still coming (another thread may be reading).</summary>
    public void Interrupt()
    {
        if (!_finished && !_disposed) _cancel();
    }

    public void Dispose()
    {
        _disposed = true;
        if (!_finished && !_drainOnEarlyStop)
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
        catch (Exception e) when (_cancellationToken.IsCancellationRequested && e is NpgsqlException or OperationCanceledException)
        {
        }
        finally
        {
            _registration.Dispose();
            _command.Dispose();
        }
    }
}
