using System.Collections.Concurrent;
using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// SQLAlchemy's QueuePool semantics on top of Npgsql's pool (NpgsqlDataSource): our semaphore is the
/// hard bound PoolSize + MaxOverflow with PoolTimeout and SQLAlchemy's error; Npgsql keeps PoolSize
/// idle connections and prunes the overflow ones within about two seconds of their return.
/// A multi-host URL gets one NpgsqlMultiHostDataSource; each call's target kind picks a view of it
/// (WithTargetSession) that shares its per-host pools, so one semaphore bounds every kind.
/// </summary>
internal sealed class EnginePool : IPool
{
    private readonly DbUrl _url;
    private readonly PoolSettings _settings;
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlMultiHostDataSource? _multiHost;
    private readonly HostStates _hosts;
    private readonly string _defaultTarget;
    // The kinds of server this pool has reached: not finding one of them again means a failover, not a wrong URL.
    private readonly ConcurrentDictionary<TargetSession, byte> _reached = new();
    private readonly SemaphoreSlim _slots;
    private readonly PoolMetrics _metrics;
    private readonly TypeCatalog _types = new();
    // Backends we have handed out before: a connection whose pid is here is a reused one (for PrePing and the reset's count).
    private readonly ConcurrentDictionary<int, byte> _seenBackends = new();
    private readonly string _target;
    private readonly int _connectTimeout;
    private readonly string _timeoutSetting;
    private int _checkedOut;
    private int _disposed;
    // Made once: a method group passed as a delegate would allocate a new one on every checkout.
    // Checked-out connections: disposing the engine aborts them (a session's running statement included).
    private readonly HashSet<Link> _live = new();
    private readonly Action _lost;
    private readonly Action<Link> _giveBack;
    private readonly ConnectionReset _reset;
    private readonly PassFilePasswords? _passFile;

    public EnginePool(DbUrl url, PoolSettings settings)
    {
        _url = url;
        _settings = settings;
        _lost = Lost;
        var builder = ConnectionStrings.Build(url);
        builder.Pooling = true;
        // The reset is ours (ConnectionReset): sent as a connection comes back, not ahead of the next statement.
        builder.NoResetOnClose = true;
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
        // After a failover the cached roles must not hold a call back for Npgsql's default 10 s:
        // a failed or lost connection clears them (Failed, Lost); this bounds the staleness otherwise.
        if (builder.Host!.Contains(',')) builder.HostRecheckSeconds = 2;
        _hosts = new HostStates(builder);
        _defaultTarget = builder.TargetSessionAttributes ?? TargetSessions.Any;
        if (settings.Passwords is not null)
        {
            // The provider gives every password; one from PGPASSWORD or a service would make Npgsql refuse both.
            builder.Password = null;
        }
        _passFile = PassFilePasswords.Take(builder, settings.Passwords is not null);
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
        _reset = new ConnectionReset(settings.ResetOnReturn == ResetOnReturn.Discard, _connectTimeout, FreeSlot);
        _giveBack = GiveBack;
        var tls = TlsCheck.Take(builder);
        _target = builder.Host!.Contains(',') ? builder.Host : builder.Host + ":" + builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString)
        {
            Name = "pgusers:" + settings.Name + ":" + Guid.NewGuid().ToString("N"),
        };
        // Enums, ranges and multiranges without a CLR mapping read as text and Npgsql ranges; composites and
        // types unknown to the cache read through our resolver (see UnmappedTypes).
        if (settings.Passwords is { } passwords)
        {
            // Called for each new physical connection only, on the thread opening it.
            sourceBuilder.UsePasswordProvider(
                b => passwords.GetPassword(b.Host ?? "", b.Username ?? ""),
                (b, _) => new ValueTask<string>(passwords.GetPasswordAsync(b.Host ?? "", b.Username ?? "")));
        }
        _passFile?.Attach(sourceBuilder);
        tls?.Attach(sourceBuilder);
        sourceBuilder.EnableUnmappedTypes();
#pragma warning disable NPG9001 // experimental converter API: see UnmappedTypes
        sourceBuilder.AddTypeInfoResolverFactory(new UnmappedTypes());
#pragma warning restore NPG9001
        _source = sourceBuilder.Build();
        _multiHost = _source as NpgsqlMultiHostDataSource;
        _metrics = new PoolMetrics(sourceBuilder.Name);
        _slots = new SemaphoreSlim(settings.PoolSize + settings.MaxOverflow, settings.PoolSize + settings.MaxOverflow);
    }

    public PoolStatus Status
    {
        get
        {
            var (idle, used) = _metrics.Read();
            return new PoolStatus(idle + used, Volatile.Read(ref _checkedOut), Math.Min(idle + used, idle + _reset.Resetting));
        }
    }

    public IReadOnlyList<DbHostState> Hosts => _hosts.Snapshot;

    public string? Warning => _passFile?.Warning;

    public IDbLink Acquire(CancellationToken cancellationToken, TargetSession target = TargetSession.Default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // A free slot is taken without waiting (a wait registers on the token); only a full pool waits.
        cancellationToken.ThrowIfCancellationRequested();
        if (!_slots.Wait(0) && !_slots.Wait(TimeSpan.FromSeconds(_settings.PoolTimeoutSeconds), cancellationToken))
        {
            throw new DbPoolTimeoutException(_settings.PoolSize, _settings.MaxOverflow, _settings.PoolTimeoutSeconds);
        }
        Interlocked.Increment(ref _checkedOut);
        try
        {
            _reset.WaitForClean(cancellationToken);
            var connection = Open(target, cancellationToken);
            bool pooled = !_seenBackends.TryAdd(connection.ProcessID, 0);
            if (pooled) _reset.TookPooled();
            if (_settings.PrePing && pooled && !Ping(connection))
            {
                // The server restarted or killed this backend: the idle ones beside it are as dead.
                connection.Dispose();
                _source.Clear();
                connection = Open(target, cancellationToken);
                _seenBackends.TryAdd(connection.ProcessID, 0);
            }
            // TryAdd takes a lock even when the key is there: look first, the kind is known after the first call.
            if (!_reached.ContainsKey(target)) _reached.TryAdd(target, 0);
            var link = new Link(connection, _giveBack, _url, onBroken: _lost, types: _types);
            bool disposed;
            lock (_live)
            {
                disposed = Volatile.Read(ref _disposed) != 0;
                if (!disposed) _live.Add(link);
            }
            if (disposed)
            {
                // Not handed out, so not given back: the catch below returns its slot.
                connection.Dispose();
                throw new ObjectDisposedException(nameof(EnginePool));
            }
            return link;
        }
        catch
        {
            Interlocked.Decrement(ref _checkedOut);
            FreeSlot();
            throw;
        }
    }

    private NpgsqlConnection Open(TargetSession target, CancellationToken cancellationToken)
    {
        var source = _multiHost is not null && target != TargetSession.Default ? _multiHost.WithTargetSession(Npgsql(target)) : _source;
        var connection = source.CreateConnection();
        try
        {
            // On the caller's thread, what the open posts back meanwhile (a -PasswordProvider call) runs.
            if (cancellationToken.CanBeCanceled) CallerThread.Wait(connection.OpenAsync(cancellationToken));
            else connection.Open();
            string? role = _hosts.Saw(connection);
            if (_multiHost is null) Check(connection, role, target);
            return connection;
        }
        catch (Exception e)
        {
            connection.Dispose();
            throw Failed(e, target, cancellationToken);
        }
    }

    /// <summary>A single host is what it is: a call for another kind of server gets a clear error, never a silent write to the wrong one.</summary>
    private void Check(NpgsqlConnection connection, string? role, TargetSession target)
    {
        if (target is TargetSession.Default or TargetSession.Any or TargetSession.PreferStandby or TargetSession.PreferPrimary) return;
        if (role is null)
        {
            // Servers before PostgreSQL 14 do not report in_hot_standby: ask.
            using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only') = 'on'", connection);
            using var reader = command.ExecuteReader();
            reader.Read();
            role = reader.GetBoolean(0) ? HostStates.Standby : reader.GetBoolean(1) ? HostStates.ReadOnlyPrimary : HostStates.Primary;
            _hosts.Record(connection, role);
        }
        bool fits = target switch
        {
            TargetSession.ReadWrite => role == HostStates.Primary,
            TargetSession.ReadOnly => role != HostStates.Primary,
            TargetSession.Primary => role != HostStates.Standby,
            _ => role == HostStates.Standby,
        };
        if (!fits)
        {
            string name = TargetSessions.Name(target);
            throw new DbServerKindException(
                $"-TargetSessionAttrs {name}: the engine's one server, {_hosts.Describe()}, is not a {name} server. " +
                $"Use an engine whose URL lists a {name} server too (a multi-host URL), or leave -TargetSessionAttrs out.", name);
        }
    }

    /// <summary>An open failed: with several hosts, forget their cached roles so the next call re-checks them at once.</summary>
    private Exception Failed(Exception e, TargetSession target, CancellationToken cancellationToken)
    {
        var error = Errors.TranslateConnect(e, _url, _target, _connectTimeout, _timeoutSetting, cancellationToken);
        if (_passFile is not null) error = _passFile.Explain(error);
        if (_multiHost is null)
        {
            if (error is DbConnectionException) _hosts.SawUnreachable();
            return error;
        }
        string names = _hosts.Names();
        Lost();
        bool noneFits = e is NpgsqlException { InnerException: null } && e.Message.StartsWith("No suitable host", StringComparison.Ordinal);
        if (error is not (DbConnectionException or DbConnectionLostException) && !noneFits) return error;
        string name = target == TargetSession.Default ? _defaultTarget : TargetSessions.Name(target);
        if (_reached.ContainsKey(target))
        {
            return new DbConnectionLostException(
                $"The connection to a {name} server was lost: none of {names} is one now (a failover may be under way); retry the unit of work.", null);
        }
        return noneFits
            ? new DbServerKindException($"No {name} server among {names}.", name)
            : error;
    }

    /// <summary>A connection broke in use: which host is primary may have changed.</summary>
    private void Lost()
    {
        _multiHost?.ClearDatabaseStates();
        _hosts.Forget();
    }

    private static TargetSessionAttributes Npgsql(TargetSession target) => target switch
    {
        TargetSession.ReadWrite => TargetSessionAttributes.ReadWrite,
        TargetSession.ReadOnly => TargetSessionAttributes.ReadOnly,
        TargetSession.Primary => TargetSessionAttributes.Primary,
        TargetSession.Standby => TargetSessionAttributes.Standby,
        TargetSession.PreferStandby => TargetSessionAttributes.PreferStandby,
        TargetSession.PreferPrimary => TargetSessionAttributes.PreferPrimary,
        _ => TargetSessionAttributes.Any,
    };

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

    /// <summary>A link comes back: no longer checked out; its connection's slot is free once its reset is done.</summary>
    private void GiveBack(Link link)
    {
        lock (_live) _live.Remove(link);
        Interlocked.Decrement(ref _checkedOut);
        _reset.Return(link.Connection);
    }

    /// <summary>
    /// Ends on the server what an abort could only cancel on the client: a COPY TO that is still computing its
    /// rows, say, keeps running after its connection is closed until it next writes. Single-host engines only
    /// (a process id means nothing on another host); bounded at 3 s, so an unreachable server does not hold up
    /// the engine's removal.
    /// </summary>
    private void EndBackends(int[] pids)
    {
        if (_multiHost is not null) return;
        var ending = Task.Run(() =>
        {
            using var connection = _source.OpenConnection();
            using var command = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(@pids) AND usename = current_user AND state <> 'idle'",
                connection) { CommandTimeout = 3 };
            command.Parameters.AddWithValue("pids", pids);
            command.ExecuteNonQuery();
        });
        try
        {
            ending.Wait(TimeSpan.FromSeconds(3));
        }
        catch (AggregateException)
        {
            // The server cannot be reached or refuses: what ran there ends with its own connection, later.
        }
    }

    private void FreeSlot()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Closes the pool. Connections still checked out (a session's, a running command's) are aborted: a running
    /// statement is cancelled on the server, and each is rolled back and closed, waiting up to 2 s for those busy.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Link[] live;
        lock (_live) live = _live.ToArray();
        // Taken before any abort: an aborted connection may close, and its process id with it. All of them, not only
        // those busy when their turn comes: aborting one link may end the work on another first (a copy's two ends).
        var pids = live.Select(link => link.BackendPid).Where(pid => pid != 0).ToArray();
        bool anyBusy = false;
        foreach (var link in live) anyBusy |= link.Abort();
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            lock (_live)
            {
                if (!live.Any(_live.Contains)) break;
            }
            Thread.Sleep(10);
        }
        // A connection still being reset would rejoin a disposed source: let the resets finish first.
        _reset.Drain(TimeSpan.FromSeconds(Math.Min(_connectTimeout, 5)));
        if (anyBusy) EndBackends(pids);
        _source.Dispose();
        _metrics.Dispose();
    }
}
