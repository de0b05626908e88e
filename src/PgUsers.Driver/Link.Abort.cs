using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// Ending a connection from another thread (its engine removed, its runspace closed) while a statement may
/// be running on it. Every piece of work on the connection is bracketed by <see cref="Enter"/> and its
/// <see cref="Use"/>'s Dispose; <see cref="Abort"/> cancels what runs, and whichever side finishes last
/// rolls back and closes, so the connection is never used by two threads at once.
/// </summary>
internal sealed partial class Link
{
    private readonly object _useGate = new();
    private int _uses;
    private bool _aborted;
    // The command or batch executing now (null between statements), for Abort's cancel request.
    private volatile object? _running;
    // Cancelled by Abort: work that holds the connection without a command to cancel (a raw COPY) listens to it.
    private readonly CancellationTokenSource _aborting = new();

    /// <summary>True once Abort was called and the connection has closed (or will, as soon as its statement ends).</summary>
    public bool Aborted
    {
        get
        {
            lock (_useGate) return _aborted;
        }
    }

    /// <summary>The server process of this connection (for ending it from another connection).</summary>
    public int BackendPid
    {
        get
        {
            try
            {
                return _connection.ProcessID;
            }
            catch (InvalidOperationException)
            {
                return 0;   // closed already
            }
        }
    }

    void IDbLink.Abort() => Abort();

    /// <summary>Ends the connection; true when work was running on it (its backend may then outlive the cancel).</summary>
    public bool Abort()
    {
        bool inUse;
        lock (_useGate)
        {
            if (_aborted) return false;
            _aborted = true;
            inUse = _uses > 0;
        }
        if (!inUse)
        {
            Dispose();
            return false;
        }
        // The thread using it gets the cancellation and, leaving, closes the connection (Exit).
        if (_reading is { } reading) reading.Abort();
        else if (_running is { } running) Cancel(running);
        try
        {
            _aborting.Cancel();
        }
        catch (AggregateException)
        {
            // A callback (Npgsql's cancel request for a COPY) failed: the connection is closing either way.
        }
        return true;
    }

    /// <summary>Starts a piece of work on the connection; throws once it was aborted.</summary>
    private Use Enter()
    {
        lock (_useGate)
        {
            if (_aborted) throw Removed();
            _uses++;
        }
        return new Use(this);
    }

    /// <summary>Remembers the command (or batch) about to run, for Abort's cancel request.</summary>
    private T Running<T>(T command) where T : class
    {
        _running = command;
        return command;
    }

    private void ReaderDone()
    {
        _reading = null;
        Exit();
    }

    private void Exit()
    {
        _running = null;
        bool close;
        lock (_useGate) close = --_uses == 0 && _aborted;
        if (close) Dispose();
    }

    /// <summary>Why an aborted connection refuses work: what a user of its session sees.</summary>
    internal static ObjectDisposedException Removed() => new("connection",
        "The connection was closed from outside (its engine was removed, or its runspace closed): any statement running on it was cancelled and the work not committed was rolled back.");

    private readonly struct Use : IDisposable
    {
        private readonly Link _link;

        public Use(Link link) => _link = link;

        public void Dispose() => _link.Exit();
    }
}
