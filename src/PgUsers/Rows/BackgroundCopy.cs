using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace PgUsers.Rows;

/// <summary>
/// One COPY statement fed from the pipeline thread while a worker thread encodes and sends it.
/// PowerShell hands a cmdlet one object at a time and spends about as long doing so as the COPY
/// spends on the row; overlapping the two is what lets a piped load approach the raw COPY.
/// </summary>
/// <remarks>
/// The worker owns the connection until <see cref="Complete"/> or <see cref="Dispose"/> returns: the
/// caller must not use it meanwhile. Memory is bounded by <see cref="QueueChunks"/> chunks in flight.
/// </remarks>
internal sealed class BackgroundCopy : IDisposable
{
    private const int ChunkSize = 1_000;
    private const int QueueChunks = 16;
    private readonly BlockingCollection<object?[][]> _chunks = new(QueueChunks);
    private readonly CancellationTokenSource _stop;
    private readonly Thread _worker;
    private object?[][] _chunk = new object?[ChunkSize][];
    private int _filled;
    private long _copied;
    private ExceptionDispatchInfo? _failure;

    public BackgroundCopy(IDbLink link, string table, IReadOnlyList<CopyColumn> columns, CancellationToken cancellation)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var token = _stop.Token;
        _worker = new Thread(() =>
        {
            try
            {
                _copied = link.CopyIn(table, columns, Rows(token), token);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                _stop.Cancel();   // unblocks a producer waiting for room
            }
        })
        { IsBackground = true, Name = "PgUsers COPY" };
        _worker.Start();
    }

    /// <summary>Queues one row (values in column order); throws the COPY's failure once it has failed.</summary>
    public void Add(object?[] row)
    {
        _chunk[_filled++] = row;
        if (_filled == ChunkSize) Flush();
    }

    /// <summary>Sends what is queued, ends the COPY and waits for it; returns the rows copied.</summary>
    public long Complete()
    {
        if (_filled > 0) Flush();
        _chunks.CompleteAdding();
        _worker.Join();
        _failure?.Throw();
        return _copied;
    }

    private void Flush()
    {
        var chunk = _filled == ChunkSize ? _chunk : _chunk[.._filled];
        _chunk = new object?[ChunkSize][];
        _filled = 0;
        try
        {
            _chunks.Add(chunk, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            _worker.Join();
            _failure?.Throw();
            throw;
        }
    }

    private IEnumerable<object?[]> Rows(CancellationToken token)
    {
        foreach (var chunk in _chunks.GetConsumingEnumerable(token))
        {
            foreach (var row in chunk) yield return row;
        }
    }

    /// <summary>Abandons an unfinished COPY (nothing of it lands) and waits for the worker to let go of the connection.</summary>
    public void Dispose()
    {
        if (!_chunks.IsAddingCompleted)
        {
            _stop.Cancel();
            _worker.Join();
        }
        _chunks.Dispose();
        _stop.Dispose();
    }
}
