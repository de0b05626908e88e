using System.Data;
using Npgsql;

namespace PgUsers.Driver;

/// <summary>Binary COPY in and out as bytes (Npgsql's raw binary copy), and a statement's result described without running it.</summary>
internal sealed partial class Link
{
    public IBinaryCopyIn BeginBinaryCopyIn(string copySql, CancellationToken cancellationToken) => StartRawCopy(copySql, cancellationToken);

    public IBinaryCopyOut BeginBinaryCopyOut(string copySql, CancellationToken cancellationToken) => StartRawCopy(copySql, cancellationToken);

    // The COPY holds the connection in use until it completes or is disposed, so an abort waits for it (Link.Abort).
    private BinaryCopy StartRawCopy(string copySql, CancellationToken cancellationToken)
    {
        var use = Enter();
        // The COPY stops for Ctrl+C and for an abort alike: it has no command for Abort to cancel.
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborting.Token);
        try
        {
            BeforeStatement(copySql);
            // Async only for the token: a COPY waiting for a table lock, or a query slow to start, must still answer Ctrl+C.
            var stream = _connection.BeginRawBinaryCopyAsync(copySql, stop.Token).GetAwaiter().GetResult();
            return new BinaryCopy(this, stream, cancellationToken, stop, use);
        }
        catch (Exception e)
        {
            stop.Dispose();
            use.Dispose();
            throw Aborted ? Removed() : Errors.Translate(e, _url, cancellationToken, _connection);
        }
    }

    public IReadOnlyList<ResultColumn> DescribeResult(DbStatement statement, CancellationToken cancellationToken)
    {
        using var use = Enter();
        using var command = Running(Command(statement));
        using var registration = cancellationToken.Register(Cancel, command);
        try
        {
            using var reader = command.ExecuteReader(CommandBehavior.SchemaOnly);
            var columns = new ResultColumn[reader.FieldCount];
            for (int i = 0; i < columns.Length; i++) columns[i] = new ResultColumn(reader.GetName(i), reader.GetDataTypeOID(i), reader.GetDataTypeName(i));
            return columns;
        }
        catch (Exception e)
        {
            throw Fail(e, statement.Sql, Parameters.Names(statement.Parameters), cancellationToken);
        }
    }

    /// <summary>One direction of a raw binary COPY: the bytes pass through untouched.</summary>
    private sealed class BinaryCopy : IBinaryCopyIn, IBinaryCopyOut
    {
        private readonly Link _link;
        // The caller's token says why a stop happened; the linked one (the caller's or an abort) stops the I/O.
        private readonly CancellationToken _callerToken;
        private readonly CancellationTokenSource _stop;
        private readonly CancellationToken _cancellation;
        private readonly Use _use;
        private NpgsqlRawCopyStream? _stream;
        private bool _ended;

        public BinaryCopy(Link link, NpgsqlRawCopyStream stream, CancellationToken callerToken, CancellationTokenSource stop, Use use)
        {
            _link = link;
            _stream = stream;
            _callerToken = callerToken;
            _stop = stop;
            _cancellation = stop.Token;
            _use = use;
        }

        private Exception Failed(Exception e) => _link.Aborted ? Removed() : Errors.Translate(e, _link._url, _callerToken);

        private void Release()
        {
            _stop.Dispose();
            _use.Dispose();
        }

        private NpgsqlRawCopyStream Stream => _stream ?? throw new InvalidOperationException("The COPY has ended.");

        public int Read(byte[] buffer)
        {
            try
            {
                // The server sends a message per row: fill the buffer, so the caller handles big chunks, not rows.
                var stream = Stream;
                int total = 0;
                while (total < buffer.Length && !_ended)
                {
                    var pending = stream.ReadAsync(buffer.AsMemory(total), _cancellation);
                    int read = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
                    _ended = read == 0;
                    total += read;
                }
                return total;
            }
            catch (Exception e)
            {
                throw Failed(e);
            }
        }

        public void Write(byte[] buffer, int count)
        {
            try
            {
                _cancellation.ThrowIfCancellationRequested();
                // With the token: a server that stopped reading (waiting on another transaction's row lock) must not hold Ctrl+C.
                var pending = Stream.WriteAsync(buffer.AsMemory(0, count), _cancellation);
                if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                throw Failed(e);
            }
        }

        public void Complete()
        {
            var stream = Stream;
            _stream = null;
            try
            {
                // Disposing the stream sends CopyDone and waits for the server's verdict on the whole input.
                stream.Dispose();
            }
            catch (Exception e)
            {
                throw Failed(e);
            }
            finally
            {
                Release();
            }
        }

        public void Dispose()
        {
            var stream = Interlocked.Exchange(ref _stream, null);
            if (stream is null) return;
            try
            {
                // An import is failed on the server (CopyFail); an export still running is cancelled there rather than read to its end.
                if (!_ended) stream.Cancel();
                stream.Dispose();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                // The COPY failed or the connection broke: either way nothing more of it lands or is read.
            }
            finally
            {
                Release();
            }
        }
    }
}
