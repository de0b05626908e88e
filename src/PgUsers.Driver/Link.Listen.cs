using Npgsql;

namespace PgUsers.Driver;

/// <summary>LISTEN, UNLISTEN and waiting for notifications, over Npgsql's Wait and Notification event.</summary>
internal sealed partial class Link
{
    // Npgsql's sync Wait ends cleanly at its timeout: short slices let a token stop the wait without breaking the connection.
    private static readonly TimeSpan s_waitSlice = TimeSpan.FromMilliseconds(200);
    private NotificationEventHandler? _onNotification;
    private string? _listenSql;

    public void Listen(IReadOnlyList<string> channels, Action<DbNotification> received, CancellationToken cancellationToken)
    {
        if (_onNotification is null)
        {
            _onNotification = (_, e) => received(new DbNotification(e.Channel, e.Payload, e.PID, DateTime.Now));
            _connection.Notification += _onNotification;
        }
        if (channels.Count == 0) return;
        string sql = string.Join("; ", channels.Select(c => "LISTEN " + QuoteIdentifier(c)));
        ExecuteNonQuery(new DbStatement(sql, null, null), cancellationToken);
        _listenSql = sql;
    }

    public void Unlisten()
    {
        if (_connection.State != System.Data.ConnectionState.Open || Aborted) return;
        using var use = Enter();
        try
        {
            using var command = Running(new NpgsqlCommand("UNLISTEN *", _connection) { CommandTimeout = 5 });
            command.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
        {
            // A lost connection listens to nothing; the pool discards a broken one.
        }
        finally
        {
            if (_onNotification is { } handler) _connection.Notification -= handler;
            _onNotification = null;
            _listenSql = null;
        }
    }

    public bool WaitForNotifications(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var use = Enter();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // An abort has nothing to cancel while we only wait: the next slice sees it.
                if (Aborted) throw Removed();
                var left = timeout == Timeout.InfiniteTimeSpan ? s_waitSlice : timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero) return false;
                // Whole milliseconds, at least one: Npgsql reads a Wait of 0 ms as "wait for ever", so a left-over of
                // a fraction of a millisecond would hang the listener until something arrives (its keepalive defeated).
                int slice = (int)Math.Ceiling((left < s_waitSlice ? left : s_waitSlice).TotalMilliseconds);
                if (_connection.Wait(Math.Max(1, slice))) return true;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
        {
            throw Lost(e);
        }
    }

    public void Ping(TimeSpan timeout)
    {
        using var use = Enter();
        try
        {
            // A listener's ping repeats its LISTEN (a no-op for a channel listened to already), so
            // pg_stat_activity keeps showing what the backend is there for.
            using var command = Running(new NpgsqlCommand(_listenSql ?? "SELECT 1", _connection) { CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)) });
            command.ExecuteNonQuery();
        }
        catch (Exception e)
        {
            throw Lost(e);
        }
    }

    /// <summary>Any failure while only waiting means the connection is gone (a timeout too: the peer stopped answering).</summary>
    private Exception Lost(Exception e) => Errors.Translate(e, _url, default, _connection) is DbConnectionLostException lost
        ? lost
        : new DbConnectionLostException($"The listening connection stopped answering: {Errors.Redact(e.Message, _url)}", null);
}
