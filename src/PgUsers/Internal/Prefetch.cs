using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace PgUsers.Internal;

/// <summary>
/// Reads a row stream on a reader thread while the caller writes rows to the pipeline. PowerShell spends
/// about as long passing one object downstream (parameter binding per record) as Npgsql spends reading
/// it, so overlapping the two is what lets a cmdlet keep up with the raw driver. Small results (one
/// batch) never leave the caller's thread; memory stays bounded by the batches in flight.
/// </summary>
internal sealed class Prefetch<T> : IDisposable
{
    private const int BatchSize = 512;
    private const int BatchesInFlight = 4;
    private readonly IEnumerator<T> _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<T[]> _batches = new(BatchesInFlight);
    private Thread? _reader;
    private ExceptionDispatchInfo? _failure;

    public Prefetch(IEnumerable<T> source) => _source = source.GetEnumerator();

    /// <summary>
    /// Every item in order, in batches (WriteObject(batch, true) lets PowerShell feed a whole batch to the
    /// next command in one call); the reader's exception is rethrown where it happened in the stream.
    /// </summary>
    public IEnumerable<T[]> Batches(CancellationToken cancellationToken)
    {
        var first = ReadBatch();
        bool more = first.Length == BatchSize;
        if (more)
        {
            _reader = new Thread(ReadAhead) { IsBackground = true, Name = "PgUsers row reader" };
            _reader.Start();
        }
        if (first.Length > 0) yield return first;
        if (!more) yield break;
        foreach (var batch in _batches.GetConsumingEnumerable(cancellationToken))
        {
            yield return batch;
        }
        _failure?.Throw();
    }

    private T[] ReadBatch()
    {
        var batch = new T[BatchSize];
        int count = 0;
        while (count < BatchSize && _source.MoveNext()) batch[count++] = _source.Current;
        return count == BatchSize ? batch : batch[..count];
    }

    private void ReadAhead()
    {
        try
        {
            T[] batch;
            do
            {
                batch = ReadBatch();
                if (batch.Length > 0) _batches.Add(batch, _stop.Token);
            }
            while (batch.Length == BatchSize && !_stop.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The consumer stopped early (Select-Object -First, an error downstream): nothing to report.
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _batches.CompleteAdding();
        }
    }

    /// <summary>Stops the reader, waits for it, then disposes the source on this thread (it stops the query).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _reader?.Join();
        _source.Dispose();
        _stop.Dispose();
        _batches.Dispose();
    }
}
