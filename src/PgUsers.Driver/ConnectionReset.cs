using System.Data;
using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// The pool's reset of a connection that comes back (Npgsql's own is off: No Reset On Close). With Discard,
/// DISCARD ALL runs on a pool thread while the caller goes on, and only then does the connection rejoin
/// Npgsql's idle list: a checkout never waits for a reset unless every idle connection is still in one.
/// A connection whose reset fails is closed, never handed out. With Rollback, only the transaction ends
/// (Link rolls back its own; Npgsql one opened in SQL text) and the session state carries over.
/// </summary>
internal sealed class ConnectionReset
{
    private readonly bool _discard;
    private readonly int _timeoutSeconds;
    // Frees the returned connection's slot in the pool: only once it is reset, so resets count against the bound.
    private readonly Action _returned;
    private readonly object _gate = new();
    private int _resetting;
    // Connections reset and idle in Npgsql's list, as far as we know (a checkout of one, or a prune, lowers it).
    private int _clean;

    public ConnectionReset(bool discard, int timeoutSeconds, Action returned)
    {
        _discard = discard;
        _timeoutSeconds = timeoutSeconds;
        _returned = returned;
    }

    /// <summary>Connections being reset now: idle to a user, not yet to Npgsql.</summary>
    public int Resetting => Volatile.Read(ref _resetting);

    /// <summary>Takes a connection back: resets it in the background (Discard), or lets Npgsql take it.</summary>
    public void Return(NpgsqlConnection connection)
    {
        if (!_discard || connection.FullState == ConnectionState.Broken)
        {
            // Npgsql rolls back a transaction left open on the way into its idle list; it drops a broken connection.
            Close(connection);
            _returned();
            return;
        }
        Interlocked.Increment(ref _resetting);
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Reset.Run(s.Connection), (Reset: this, Connection: connection), preferLocal: false);
    }

    /// <summary>
    /// Before a checkout: when no connection is known to be reset and idle but some are resetting, wait for
    /// one (a reset is a round trip; a new connection is many) rather than open another.
    /// </summary>
    public void WaitForClean(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _clean) > 0 || Volatile.Read(ref _resetting) == 0) return;
        long deadline = Environment.TickCount64 + _timeoutSeconds * 1000L;
        lock (_gate)
        {
            while (_clean <= 0 && _resetting > 0 && !cancellationToken.IsCancellationRequested && Environment.TickCount64 < deadline)
            {
                Monitor.Wait(_gate, 50);
            }
        }
    }

    /// <summary>A checkout got a connection that was pooled before (so, a clean one) rather than a new one.</summary>
    public void TookPooled()
    {
        int clean;
        do
        {
            clean = Volatile.Read(ref _clean);
            if (clean <= 0) return;
        }
        while (Interlocked.CompareExchange(ref _clean, clean - 1, clean) != clean);
    }

    /// <summary>Waits (up to <paramref name="bound"/>) for the resets under way, so the pool can close every connection.</summary>
    public void Drain(TimeSpan bound)
    {
        long deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        lock (_gate)
        {
            while (_resetting > 0 && Environment.TickCount64 < deadline) Monitor.Wait(_gate, 50);
        }
    }

    private void Run(NpgsqlConnection connection)
    {
        bool clean = false;
        try
        {
            clean = Discard(connection);
        }
        finally
        {
            if (clean) Close(connection);
            else Destroy(connection);
            lock (_gate)
            {
                _resetting--;
                if (clean) _clean++;
                Monitor.PulseAll(_gate);
            }
            _returned();
        }
    }

    private bool Discard(NpgsqlConnection connection)
    {
        try
        {
            try
            {
                Execute(connection, "DISCARD ALL");
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ActiveSqlTransaction or PostgresErrorCodes.InFailedSqlTransaction)
            {
                // A transaction opened in SQL text (BEGIN) is still open: end it first.
                Execute(connection, "ROLLBACK");
                Execute(connection, "DISCARD ALL");
            }
            return true;
        }
        catch (Exception)
        {
            // On a pool thread nothing may escape; whatever failed, the connection is not handed out again.
            return false;
        }
    }

    private void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = _timeoutSeconds };
        command.ExecuteNonQuery();
    }

    /// <summary>Closes the connection for good: its backend ends, so Npgsql drops it instead of pooling it.</summary>
    private void Destroy(NpgsqlConnection connection)
    {
        try
        {
            Execute(connection, "SELECT pg_terminate_backend(pg_backend_pid())");
        }
        catch (Exception)
        {
            // The backend's end comes back as an error (57P01), which breaks the connection: as meant.
        }
        // Still not broken (busy with a statement, say): Npgsql must not pool it, so the pool is cleared, which
        // closes this connection on its return and the idle ones now.
        if (connection.FullState != ConnectionState.Broken) NpgsqlConnection.ClearPool(connection);
        Close(connection);
    }

    private static void Close(NpgsqlConnection connection)
    {
        try
        {
            connection.Dispose();
        }
        catch (Exception)
        {
            // Closing a broken connection may throw; it is gone either way.
        }
    }
}
