using Npgsql;

namespace PgUsers.Driver;

/// <summary>Text COPY in and out, over Npgsql's text import and export.</summary>
internal sealed partial class Link
{
    public ITextCopyIn BeginTextCopyIn(string copySql, CancellationToken cancellationToken)
    {
        var use = Enter();
        try
        {
            // Async only for the token: a COPY waiting for a table lock must still answer Ctrl+C.
            var writer = (NpgsqlCopyTextWriter)_connection.BeginTextImportAsync(copySql, cancellationToken).GetAwaiter().GetResult();
            return new TextCopyIn(writer, _url, cancellationToken, use);
        }
        catch (Exception e)
        {
            use.Dispose();
            throw Errors.Translate(e, _url, cancellationToken);
        }
    }

    public ITextCopyOut BeginTextCopyOut(string copySql, CancellationToken cancellationToken)
    {
        var use = Enter();
        try
        {
            var reader = (NpgsqlCopyTextReader)_connection.BeginTextExportAsync(copySql, cancellationToken).GetAwaiter().GetResult();
            return new TextCopyOut(reader, _url, cancellationToken, use);
        }
        catch (Exception e)
        {
            use.Dispose();
            // COPY (query) TO takes no parameters: an @name in the query is one the caller gave no value for.
            throw Fail(e, copySql, (Array.Empty<string>(), Array.Empty<string>()), cancellationToken);
        }
    }

    private sealed class TextCopyIn : ITextCopyIn
    {
        private readonly DbUrl _url;
        private readonly CancellationToken _cancellation;
        private readonly Use _use;
        private NpgsqlCopyTextWriter? _writer;

        public TextCopyIn(NpgsqlCopyTextWriter writer, DbUrl url, CancellationToken cancellation, Use use)
        {
            _writer = writer;
            _url = url;
            _cancellation = cancellation;
            _use = use;
        }

        public void Write(char[] buffer, int count)
        {
            _cancellation.ThrowIfCancellationRequested();
            var writer = _writer ?? throw new InvalidOperationException("The COPY has ended.");
            try
            {
                writer.Write(buffer, 0, count);
            }
            catch (Exception e)
            {
                throw Errors.Translate(e, _url, _cancellation);
            }
        }

        public void Complete()
        {
            var writer = _writer ?? throw new InvalidOperationException("The COPY has ended.");
            _writer = null;
            try
            {
                // Disposing the writer sends CopyDone and waits for the server's verdict on the whole input.
                writer.Dispose();
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
            var writer = Interlocked.Exchange(ref _writer, null);
            if (writer is null) return;
            try
            {
                writer.Cancel();
                writer.Dispose();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                // The COPY failed or the connection broke: either way nothing of it lands.
            }
            finally
            {
                _use.Dispose();
            }
        }
    }

    private sealed class TextCopyOut : ITextCopyOut
    {
        private readonly DbUrl _url;
        private readonly CancellationToken _cancellation;
        private readonly Use _use;
        private NpgsqlCopyTextReader? _reader;
        private bool _ended;

        public TextCopyOut(NpgsqlCopyTextReader reader, DbUrl url, CancellationToken cancellation, Use use)
        {
            _reader = reader;
            _url = url;
            _cancellation = cancellation;
            _use = use;
        }

        public int Read(char[] buffer)
        {
            var reader = _reader ?? throw new InvalidOperationException("The COPY has ended.");
            try
            {
                // Async only for the token: Ctrl+C must stop a query that is slow to give its first row.
                var pending = reader.ReadAsync(buffer.AsMemory(), _cancellation);
                int read = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
                _ended = read == 0;
                return read;
            }
            catch (Exception e)
            {
                throw Errors.Translate(e, _url, _cancellation);
            }
        }

        public void Dispose()
        {
            var reader = Interlocked.Exchange(ref _reader, null);
            if (reader is null) return;
            try
            {
                // Disposing alone would read the rest of the output to its end: stop it on the server first.
                if (!_ended) reader.Cancel();
                reader.Dispose();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                // The export was stopped or the connection broke: there is nothing left to read.
            }
            finally
            {
                _use.Dispose();
            }
        }
    }
}
