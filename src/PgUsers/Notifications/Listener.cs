using System.Diagnostics;

namespace PgUsers.Notifications;

/// <summary>
/// LISTEN on one connection of an engine's pool, held for the listener's life, that survives faults:
/// a lost connection is replaced with backoff, its channels listened to again, and the gap reported
/// (PostgreSQL keeps no notification for a listener that is not connected). An idle connection is
/// pinged now and then, so a peer that went silent is found out, not waited on forever.
/// </summary>
internal sealed class Listener : IDisposable
{
    /// <summary>Idle this long, the connection is pinged.</summary>
    internal static TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>A ping unanswered this long means the peer is gone.</summary>
    internal static TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_lastRetry = TimeSpan.FromSeconds(5);
    // How soon a removed engine is noticed by a listener that is only waiting.
    private static readonly TimeSpan s_engineCheck = TimeSpan.FromMilliseconds(500);

    private readonly DbEngine _engine;
    private readonly string[] _channels;
    private readonly Action<string> _warn;
    private readonly Queue<DbNotification> _received = new();
    private readonly Action<DbNotification> _receive;
    private IDbLink? _link;
    private long _lastHeard;
    // While the connection is lost: since when, why, and when to try again.
    private DateTime _lostAt;
    private string? _lostBecause;
    private long _nextAttempt;
    private TimeSpan _backoff;
    private bool _disposed;

    /// <summary>A listener on <paramref name="channels"/>; <paramref name="warn"/> is told of each gap once listening again, on the thread that called <see cref="Next"/>.</summary>
    public Listener(DbEngine engine, IEnumerable<string> channels, Action<string> warn)
    {
        _engine = engine;
        _channels = channels.Distinct(StringComparer.Ordinal).ToArray();
        _warn = warn;
        _receive = _received.Enqueue;
    }

    public IReadOnlyList<string> Channels => _channels;

    public DbEngine Engine => _engine;

    /// <summary>Checks a connection to the primary out and listens; a failure here is the caller's error (nothing is retried yet).</summary>
    public void Start(CancellationToken cancellationToken) => _link = Connect(cancellationToken);

    /// <summary>
    /// The next notification, waiting up to <paramref name="timeout"/> (infinite allowed); null when the
    /// time passed first. A lost connection is replaced inside this wait; only an error that retrying
    /// cannot mend (a removed engine, a refused password) is thrown.
    /// </summary>
    public DbNotification? Next(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_received.Count > 0) return _received.Dequeue();
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_engine.IsDisposed, _engine);
            var left = timeout == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return null;
            if (_link is null)
            {
                Reconnect(left, cancellationToken);
                continue;
            }
            var idle = KeepAliveInterval - Stopwatch.GetElapsedTime(_lastHeard);
            try
            {
                if (idle <= TimeSpan.Zero)
                {
                    _link.Ping(KeepAliveTimeout);
                    _lastHeard = Stopwatch.GetTimestamp();
                }
                else if (_link.WaitForNotifications(Shortest(left, idle, s_engineCheck), cancellationToken))
                {
                    _lastHeard = Stopwatch.GetTimestamp();
                }
            }
            catch (DbConnectionLostException e)
            {
                Lose(e.Message);
            }
        }
    }

    private static TimeSpan Shortest(TimeSpan a, TimeSpan b, TimeSpan c) => a < b ? (a < c ? a : c) : (b < c ? b : c);

    private void Lose(string because)
    {
        _link?.Dispose();
        _link = null;
        _lostAt = DateTime.Now;
        _lostBecause = because;
        _backoff = s_firstRetry;
        _nextAttempt = Stopwatch.GetTimestamp();
    }

    /// <summary>One attempt when due (else a sleep toward it, within <paramref name="left"/>); retries grow from 0.1 s to 5 s apart.</summary>
    private void Reconnect(TimeSpan left, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromTicks((long)((_nextAttempt - Stopwatch.GetTimestamp()) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        if (due > TimeSpan.Zero)
        {
            var sleep = due < left ? due : left;
            cancellationToken.WaitHandle.WaitOne(sleep > TimeSpan.FromMilliseconds(250) ? TimeSpan.FromMilliseconds(250) : sleep);
            return;
        }
        try
        {
            _link = Connect(cancellationToken);
        }
        catch (Exception e) when (e is DbConnectionLostException or DbConnectionException or DbServerKindException or DbPoolTimeoutException)
        {
            _nextAttempt = Stopwatch.GetTimestamp() + (long)(_backoff.TotalSeconds * Stopwatch.Frequency);
            _lostBecause = e.Message;
            _backoff = _backoff * 2 > s_lastRetry ? s_lastRetry : _backoff * 2;
            return;
        }
        var back = DateTime.Now;
        _warn($"The connection listening on {Names} was lost at {_lostAt:HH:mm:ss.fff} ({_lostBecause}); listening again since " +
            $"{back:HH:mm:ss.fff}, after {(back - _lostAt).TotalSeconds:0.0} s. Notifications sent in that gap may be lost: " +
            "PostgreSQL keeps none for a listener that is not connected.");
    }

    /// <summary>The channels as the warning names them.</summary>
    public string Names => string.Join(", ", _channels.Select(c => "'" + c + "'"));

    /// <summary>A standby cannot LISTEN (nor NOTIFY): a multi-host engine listens on its primary.</summary>
    private IDbLink Connect(CancellationToken cancellationToken)
    {
        var link = _engine.Acquire(cancellationToken, TargetSession.Primary);
        try
        {
            link.Listen(_channels, _receive, cancellationToken);
            _lastHeard = Stopwatch.GetTimestamp();
            return link;
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    /// <summary>UNLISTEN explicitly (never left to the pool's reset), then the connection goes back.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_link is { } link)
        {
            _link = null;
            try
            {
                link.Unlisten();
            }
            finally
            {
                link.Dispose();
            }
        }
    }
}
