using System.Runtime.ExceptionServices;

namespace PgUsers.Rows;

/// <summary>
/// Reads a row stream on a reader thread while the caller writes rows to the pipeline. PowerShell spends
/// about as long passing one object downstream (parameter binding per record) as Npgsql spends reading
/// it, so overlapping the two is what lets a cmdlet keep up with the raw driver.
/// </summary>
/// <remarks>
/// Rows are handed over as soon as they are read: the caller takes whatever has arrived (up to a batch)
/// and never waits for a batch to fill, so a slow query still streams row by row. The first rows are
/// read on the caller's thread, so a small result never starts a thread. Memory is bounded by
/// <see cref="Capacity"/> rows in flight.
/// </remarks>
internal sealed class Prefetch<T> : IDisposable
{
    private const int FirstOnCaller = 512;
    private const int MaxBatch = 512;
    private const int Capacity = 4096;
    private readonly IEnumerator<T> _source;
    private readonly Action? _interrupt;
    private readonly NoticeRelay? _notices;
    private bool _nudged;
    private readonly object _gate = new();
    private readonly Queue<T> _queue = new();
    private Thread? _reader;
    private bool _done;
    // The source was read to its end: nothing is left to stop.
    private volatile bool _ended;
    private bool _stopping;
    private ExceptionDispatchInfo? _failure;

    /// <param name="source">The rows; enumerated on the reader thread after the first ones.</param>
    /// <param name="interrupt">Stops a read blocked on the server (the query's cancel) when the caller stops early.</param>
    /// <param name="notices">The server's notices read on the reader thread are written from the caller's, between batches.</param>
    public Prefetch(IEnumerable<T> source, Action? interrupt = null, NoticeRelay? notices = null)
    {
        _source = source.GetEnumerator();
        _interrupt = interrupt;
        _notices = notices;
    }

    /// <summary>Every item in order, in batches of what has arrived; the reader's exception is rethrown in its place.</summary>
    public IEnumerable<T[]> Batches(CancellationToken cancellationToken)
    {
        for (int read = 0; read < FirstOnCaller; read++)
        {
            if (!_source.MoveNext())
            {
                _ended = true;
                yield break;
            }
            yield return new[] { _source.Current };
        }
        if (_notices is not null) _notices.Wake = Nudge;
        _reader = new Thread(ReadAhead) { IsBackground = true, Name = "PgUsers row reader" };
        _reader.Start();
        while (Take(cancellationToken) is { } batch)
        {
            _notices?.Drain();
            if (batch.Length > 0) yield return batch;
        }
        _notices?.Drain();
        _failure?.Throw();
    }

    /// <summary>Wakes the caller waiting in <see cref="Take"/> (a notice arrived), so it can write it now.</summary>
    private void Nudge()
    {
        lock (_gate)
        {
            _nudged = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Up to a batch of what the reader has queued, waiting only when nothing is there; empty when nudged; null at the end.</summary>
    private T[]? Take(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_done && !_nudged)
            {
                // The cancel of Ctrl+C also ends the read itself; the timeout only re-checks the token.
                Monitor.Wait(_gate, 200);
                cancellationToken.ThrowIfCancellationRequested();
            }
            _nudged = false;
            if (_queue.Count == 0) return _done ? null : Array.Empty<T>();
            bool wasFull = _queue.Count >= Capacity;
            var batch = new T[Math.Min(_queue.Count, MaxBatch)];
            for (int i = 0; i < batch.Length; i++) batch[i] = _queue.Dequeue();
            if (wasFull) Monitor.PulseAll(_gate);
            return batch;
        }
    }

    private void ReadAhead()
    {
        try
        {
            while (_source.MoveNext())
            {
                lock (_gate)
                {
                    while (_queue.Count >= Capacity && !_stopping) Monitor.Wait(_gate);
                    if (_stopping) return;
                    _queue.Enqueue(_source.Current);
                    if (_queue.Count == 1) Monitor.PulseAll(_gate);
                }
            }
            _ended = true;
        }
        catch (Exception e)
        {
            // After an early stop the read ends in our own cancel: nothing to report.
            if (!Volatile.Read(ref _stopping)) _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            lock (_gate)
            {
                _done = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// Stops the reader, waits for it, then disposes the source here. Stopped before the end, the read is
    /// interrupted (so a read blocked on the server ends, and the statement is cancelled rather than drained).
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        if (!_ended) _interrupt?.Invoke();
        _reader?.Join();
        if (_notices is not null) _notices.Wake = null;
        _source.Dispose();
    }
}
