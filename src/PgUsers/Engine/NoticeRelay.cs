using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;

namespace PgUsers.Engine;

/// <summary>
/// Writes the server's notices into a cmdlet's streams as they arrive. Npgsql raises them on whichever thread
/// is reading, and PowerShell allows Write* only from the pipeline thread: a notice read there is written at
/// once; one read on the prefetch thread is queued, the pipeline thread is woken, and it writes it.
/// </summary>
internal sealed class NoticeRelay
{
    private readonly Cmdlet _cmdlet;
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    // Made on the first notice read off the pipeline thread: most commands never see one (a queue costs ~700 bytes).
    private ConcurrentQueue<DbNotice>? _queue;

    public NoticeRelay(Cmdlet cmdlet)
    {
        _cmdlet = cmdlet;
        Handler = Post;
    }

    /// <summary><see cref="Post"/> as one delegate, made once: set it on a link, and compare with it to detach.</summary>
    public Action<DbNotice> Handler { get; }

    /// <summary>
    /// What writing a notice threw (a warning under -WarningAction Stop), or null. Npgsql swallows what its notice
    /// handler throws, so the command asks here before it commits (<see cref="ThrowIfStopped"/>).
    /// </summary>
    public ExceptionDispatchInfo? Stopped { get; private set; }

    /// <summary>Writes what is queued, then rethrows what a notice's write threw: the command must not commit after it.</summary>
    public void ThrowIfStopped()
    {
        Drain();
        Stopped?.Throw();
    }

    /// <summary>Wakes the pipeline thread while it waits for rows (set by <see cref="Prefetch{T}"/>).</summary>
    public Action? Wake { get; set; }

    /// <summary>Called by the engine for each notice, on the thread that read it.</summary>
    public void Post(DbNotice notice)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            Drain();
            Write(notice);
            return;
        }
        LazyInitializer.EnsureInitialized(ref _queue).Enqueue(notice);
        Wake?.Invoke();
    }

    /// <summary>Writes what other threads queued; call on the pipeline thread.</summary>
    public void Drain()
    {
        if (Volatile.Read(ref _queue) is not { } queue) return;
        while (queue.TryDequeue(out var notice)) Write(notice);
    }

    private void Write(DbNotice notice)
    {
        try
        {
            switch (notice.Severity)
            {
                case "WARNING":
                    _cmdlet.WriteWarning(notice.ToString());
                    break;
                case "DEBUG":
                    _cmdlet.WriteDebug(notice.ToString());
                    break;
                default:
                    var record = new InformationRecord(notice, "PgUsers");
                    record.Tags.Add("PgUsers");
                    record.Tags.Add(notice.Severity);
                    record.Tags.Add(notice.SqlState);
                    _cmdlet.WriteInformation(record);
                    _cmdlet.WriteVerbose($"{notice.Severity}: {notice}");
                    break;
            }
        }
        catch (PSInvalidOperationException)
        {
            // The command has ended (a notice from a later COMMIT of its session): nowhere left to write it.
        }
        catch (RuntimeException e)
        {
            // -WarningAction Stop (PowerShell records the stop and throws PipelineStoppedException), or the pipeline
            // is stopping: remembered, since Npgsql's notice handler swallows what it throws.
            Stopped ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }
}
