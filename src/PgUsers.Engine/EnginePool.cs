using System.Collections.Concurrent;
using Npgsql;
using PgUsers.Internal;

namespace PgUsers.Engine;

/// <summary>
/// SQLAlchemy's QueuePool semantics on top of Npgsql's pool (NpgsqlDataSource): our semaphore is the
/// hard bound PoolSize + MaxOverflow with PoolTimeout and SQLAlchemy's error; Npgsql keeps PoolSize
/// idle connections and prunes the overflow ones within about two seconds of their return.
/// </summary>
internal sealed class EnginePool : IPool
{
    private readonly DbUrl _url;
    private readonly PoolSettings _settings;
    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _slots;
    private readonly PoolMetrics _metrics;
    // Backends we have handed out before: a connection whose pid is here is a reused one (for PrePing).
    private readonly ConcurrentDictionary<int, byte> _seenBackends = new();
    private readonly string _target;
    private readonly int _connectTimeout;
    private readonly string _timeoutSetting;
    private int _checkedOut;
    private int _disposed;

    public EnginePool(DbUrl url, PoolSettings settings)
    {
        _url = url;
        _settings = settings;
        var builder = ConnectionStrings.Build(url);
        builder.Pooling = true;
        builder.MaxPoolSize = settings.PoolSize + settings.MaxOverflow;
        builder.MinPoolSize = settings.PoolSize;
        // Connections above MinPoolSize (the overflow) are pruned once idle this long.
        builder.ConnectionIdleLifetime = 2;
        builder.ConnectionPruningInterval = 1;
        // Npgsql's own default lifetime is 3600 s; -1 (never) must be said as 0.
        builder.ConnectionLifetime = settings.PoolRecycleSeconds < 0 ? 0 : settings.PoolRecycleSeconds;
        // Commands run until done unless -CommandTimeout says otherwise (Npgsql's default is 30 s).
        builder.CommandTimeout = 0;
        // psql shows DETAIL (e.g. which key was duplicated); Npgsql hides it unless asked.
        builder.IncludeErrorDetail = true;
        // Without connect_timeout a connect may take as long as a caller waits for the pool, no longer
        // (libpq would wait forever, Npgsql 15 s whatever the engine's PoolTimeout).
        if (url.QueryPairs.Any(p => p.Key == "connect_timeout") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PGCONNECT_TIMEOUT")))
        {
            _timeoutSetting = "connect_timeout=" + builder.Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            builder.Timeout = (int)Math.Clamp(Math.Ceiling(settings.PoolTimeoutSeconds), 1, 1024);
            _timeoutSetting = "the engine's -PoolTimeout, as the URL sets no connect_timeout";
        }
        _connectTimeout = builder.Timeout;
        _target = builder.Host!.Contains(',') ? builder.Host : builder.Host + ":" + builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString)
        {
            Name = "pgusers:" + settings.Name + ":" + Guid.NewGuid().ToString("N"),
        };
        _source = sourceBuilder.Build();
        _metrics = new PoolMetrics(sourceBuilder.Name);
        _slots = new SemaphoreSlim(settings.PoolSize + settings.MaxOverflow, settings.PoolSize + settings.MaxOverflow);
    }

    public PoolStatus Status
    {
        get
        {
            var (idle, used) = _metrics.Read();
            return new PoolStatus(idle + used, Volatile.Read(ref _checkedOut), idle);
        }
    }

    public IDbLink Acquire(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_slots.Wait(TimeSpan.FromSeconds(_settings.PoolTimeoutSeconds), cancellationToken))
        {
            throw new DbPoolTimeoutException(_settings.PoolSize, _settings.MaxOverflow, _settings.PoolTimeoutSeconds);
        }
        Interlocked.Increment(ref _checkedOut);
        try
        {
            var connection = Open(cancellationToken);
            if (_settings.PrePing && !_seenBackends.TryAdd(connection.ProcessID, 0) && !Ping(connection))
            {
                // The server restarted or killed this backend: the idle ones beside it are as dead.
                connection.Dispose();
                _source.Clear();
                connection = Open(cancellationToken);
                _seenBackends.TryAdd(connection.ProcessID, 0);
            }
            return new Link(connection, Release, _url);
        }
        catch
        {
            Release();
            throw;
        }
    }

    private NpgsqlConnection Open(CancellationToken cancellationToken)
    {
        var connection = _source.CreateConnection();
        try
        {
            if (cancellationToken.CanBeCanceled) connection.OpenAsync(cancellationToken).GetAwaiter().GetResult();
            else connection.Open();
            return connection;
        }
        catch (Exception e)
        {
            connection.Dispose();
            throw Errors.TranslateConnect(e, _url, _target, _connectTimeout, _timeoutSetting, cancellationToken);
        }
    }

    private static bool Ping(NpgsqlConnection connection)
    {
        try
        {
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private void Release()
    {
        Interlocked.Decrement(ref _checkedOut);
        if (Volatile.Read(ref _disposed) == 0)
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _source.Dispose();
        _metrics.Dispose();
    }
}
