using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace PgUsers;

/// <summary>
/// A throwaway PostgreSQL server on 127.0.0.1, deleted when stopped; optionally with streaming
/// standbys of it and PgBouncer in front of it.
/// </summary>
public sealed class DbSandbox : IDisposable
{
    private static readonly object s_gate = new();
    private static readonly List<DbSandbox> s_live = new();
    private static bool s_exitHooked;
    private readonly Sandbox.ISandboxServer _server;
    private int _disposed;

    private DbSandbox(DbSandboxServer primary, DbSandboxServer[] standbys, DbSandboxServer? pooler)
    {
        _server = primary.Server;
        Primary = primary;
        Standbys = standbys;
        Pooler = pooler;
    }

    /// <summary>Connects as the sandbox's superuser to the postgres database (on the primary).</summary>
    public DbUrl Url => Primary.Url;
    /// <summary>The primary server.</summary>
    public DbSandboxServer Primary { get; }
    /// <summary>The streaming standbys (-Standby N), in port order of their start.</summary>
    public DbSandboxServer[] Standbys { get; }
    /// <summary>PgBouncer in transaction mode in front of the primary (-Pooler), or null.</summary>
    public DbSandboxServer? Pooler { get; }
    /// <summary>Each standby's URL.</summary>
    public DbUrl[] StandbyUrls => Standbys.Select(s => s.Url).ToArray();
    /// <summary>One URL listing the primary then every standby (add target_session_attrs to choose), or null without standbys.</summary>
    public DbUrl? MultiHostUrl { get; private init; }
    /// <summary>The URL through PgBouncer, or null without -Pooler.</summary>
    public DbUrl? PoolerUrl => Pooler?.Url;
    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port => Url.Port ?? 5432;
    /// <summary>Local (server binaries) or Container (a postgres image, through the docker client).</summary>
    public string Kind => _server.Kind;
    /// <summary>The container's id (Container kind), or null.</summary>
    public string? Container => (_server as Sandbox.DockerServer)?.Id;
    /// <summary>The image the container runs (Container kind), or null.</summary>
    public string? Image => (_server as Sandbox.DockerServer)?.Image;
    /// <summary>The server's version, as its binaries report it (or, in a container, the server itself, with the image and container).</summary>
    public string Version => _server.Version;
    /// <summary>Where the cluster lives (local kind), deleted on stop.</summary>
    public string? Directory => _server.Directory;
    /// <summary>True until stopped: while any of its servers runs (a promoted standby whose primary was stopped, say).</summary>
    public bool IsRunning => Volatile.Read(ref _disposed) == 0
        && (_server.IsRunning || Standbys.Any(s => s.IsRunning) || Pooler?.IsRunning == true);

    /// <summary>
    /// Starts a sandbox: in a container of <paramref name="image"/> when given; else from local binaries,
    /// else in a container of the default image. Standbys and a pooler need local binaries.
    /// </summary>
    internal static DbSandbox Start(string? binDirectory, int standbys, bool pooler, string? image, Action<string>? log,
        CancellationToken cancellationToken = default)
    {
        string user = "pgusers";
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        string? bin = image is null ? Sandbox.LocalServer.TryFind(binDirectory) : null;
        if (bin is null && (standbys > 0 || pooler))
        {
            throw new InvalidOperationException(
                "Standbys and a pooler need PostgreSQL's server binaries on this machine (PATH, pg_config, /usr/lib/postgresql/*/bin); install PostgreSQL's server package, or name the folder with -BinDirectory.");
        }
        string? bouncer = pooler ? Sandbox.PoolerServer.TryFind() ?? throw new InvalidOperationException(
            "-Pooler needs PgBouncer: install it (Debian: apt-get install pgbouncer) or put pgbouncer on PATH.") : null;
        DbUrl UrlAt(int at) => new("postgresql", user, password, new[] { new DbHost("127.0.0.1", at) }, "postgres",
            Array.Empty<KeyValuePair<string, string>>());
        int port = FreePort();
        Sandbox.ISandboxServer server = bin is not null
            ? Sandbox.LocalServer.Start(bin, user, password, port, log)
            : StartContainer(image, user, password, port, UrlAt(port), log, cancellationToken);
        var started = new List<DbSandboxServer> { new(server, "Primary", UrlAt(port)) };
        try
        {
            for (int i = 0; i < standbys; i++)
            {
                int standbyPort = FreePort();
                started.Add(new(Sandbox.LocalServer.StartStandby(bin!, user, password, port, standbyPort, log), "Standby", UrlAt(standbyPort)));
            }
            if (bouncer is not null)
            {
                int poolerPort = FreePort();
                started.Add(new(Sandbox.PoolerServer.Start(bouncer, user, password, port, poolerPort, log), "Pooler", UrlAt(poolerPort)));
            }
        }
        catch
        {
            foreach (var one in Enumerable.Reverse(started)) one.Server.Stop();
            throw;
        }
        var standbyServers = started.Where(s => s.Role == "Standby").ToArray();
        var sandbox = new DbSandbox(started[0], standbyServers, started.FirstOrDefault(s => s.Role == "Pooler"))
        {
            MultiHostUrl = standbyServers.Length == 0 ? null : new DbUrl("postgresql", user, password,
                started.Where(s => s.Role != "Pooler").Select(s => new DbHost("127.0.0.1", s.Port)).ToArray(), "postgres",
                Array.Empty<KeyValuePair<string, string>>()),
        };
        lock (s_gate)
        {
            s_live.Add(sandbox);
            if (!s_exitHooked)
            {
                // A sandbox must not outlive the process that made it.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
                s_exitHooked = true;
            }
        }
        return sandbox;
    }

    private static Sandbox.ISandboxServer StartContainer(string? image, string user, string password, int port, DbUrl url,
        Action<string>? log, CancellationToken cancellationToken)
    {
        try
        {
            return Sandbox.DockerServer.Start(image ?? Sandbox.DockerServer.DefaultImage, user, password, port, url, log, cancellationToken);
        }
        catch (Sandbox.ContainerEngineException e) when (image is null)
        {
            // No binaries, and the container fallback cannot run either: both are said.
            throw new InvalidOperationException(
                "No PostgreSQL server binaries were found (PATH, pg_config, /usr/lib/postgresql/*/bin), and no container can run instead. " +
                "Install PostgreSQL's server package, or name the folder with -BinDirectory. " + e.Message, e);
        }
    }

    private static void StopAll()
    {
        DbSandbox[] live;
        lock (s_gate) live = s_live.ToArray();
        foreach (var sandbox in live) sandbox.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Restarts the server (fast shutdown): every open connection breaks, as in a real restart.</summary>
    public void Restart()
    {
        ObjectDisposedException.ThrowIf(!_server.IsRunning, this);
        _server.Restart();
    }

    /// <summary>Stops the pooler, the standbys and the primary, and deletes their files.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        lock (s_gate) s_live.Remove(this);
        Pooler?.Stop();
        foreach (var standby in Standbys) standby.Stop();
        _server.Stop();
    }

    /// <summary>Sandbox(url) with the password masked.</summary>
    public override string ToString() => $"Sandbox({Url})";
}
