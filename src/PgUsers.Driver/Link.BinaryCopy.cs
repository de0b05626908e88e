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
        try
        {
            BeforeStatement(copySql);
            // Async only for the token: a COPY waiting for a table lock, or a query slow to start, must still answer Ctrl+C.
            var stream = _connection.BeginRawBinaryCopyAsync(copySql, cancellationToken).GetAwaiter().GetResult();
            return new BinaryCopy(stream, _url, cancellationToken, use);
        }
        catch (Exception e)
        {
            use.Dispose();
            throw Errors.Translate(e, _url, cancellationToken, _connection);
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
        private readonly DbUrl _url;
        private readonly CancellationToken _cancellation;
        private readonly Use _use;
        private NpgsqlRawCopyStream? _stream;
        private bool _ended;

        public BinaryCopy(NpgsqlRawCopyStream stream, DbUrl url, CancellationToken cancellation, Use use)
        {
            _stream = stream;
            _url = url;
            _cancellation = cancellation;
            _use = use;
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
                throw Errors.Translate(e, _url, _cancellation);
            }
        }

        public void Write(byte[] buffer, int count)
        {
            _cancellation.ThrowIfCancellationRequested();
            try
            {
                // With the token: a server that stopped reading (waiting on another transaction's row lock) must not hold Ctrl+C.
                var pending = Stream.WriteAsync(buffer.AsMemory(0, count), _cancellation);
                if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                throw Errors.Translate(e, _url, _cancellation);
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
                throw Errors.Translate(e, _url, _cancellation);
            }
            finally
            {
                _use.Dispose();
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
                _use.Dispose();
            }
        }
    }
}
