using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace PgUsers;

/// <summary>A throwaway PostgreSQL server on 127.0.0.1, deleted when stopped.</summary>
public sealed class DbSandbox : IDisposable
{
    private static readonly object s_gate = new();
    private static readonly List<DbSandbox> s_live = new();
    private static bool s_exitHooked;
    private readonly Sandbox.ISandboxServer _server;

    private DbSandbox(Sandbox.ISandboxServer server, DbUrl url)
    {
        _server = server;
        Url = url;
    }

    /// <summary>Connects as the sandbox's superuser to the postgres database.</summary>
    public DbUrl Url { get; }
    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port => Url.Port ?? 5432;
    /// <summary>Local (server binaries) or Docker (the postgres image).</summary>
    public string Kind => _server.Kind;
    /// <summary>The server's version, as its binaries report it.</summary>
    public string Version => _server.Version;
    /// <summary>Where the cluster lives (local kind), deleted on stop.</summary>
    public string? Directory => _server.Directory;
    /// <summary>True until stopped.</summary>
    public bool IsRunning => _server.IsRunning;

    /// <summary>Starts a sandbox from local binaries, else from Docker.</summary>
    internal static DbSandbox Start(string? binDirectory, Action<string>? log)
    {
        string user = "pgusers";
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        int port = FreePort();
        Sandbox.ISandboxServer server = Sandbox.LocalServer.TryFind(binDirectory) is { } bin
            ? Sandbox.LocalServer.Start(bin, user, password, port, log)
            : Sandbox.DockerServer.IsAvailable()
                ? Sandbox.DockerServer.Start(user, password, port, log)
                : throw new InvalidOperationException(
                    "No PostgreSQL server binaries were found (PATH, pg_config, /usr/lib/postgresql/*/bin) and no Docker engine answers. Install PostgreSQL's server package, or name the folder with -BinDirectory.");
        var url = new DbUrl("postgresql", user, password, new[] { new DbHost("127.0.0.1", port) }, "postgres",
            Array.Empty<KeyValuePair<string, string>>());
        var sandbox = new DbSandbox(server, url);
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
        ObjectDisposedException.ThrowIf(!IsRunning, this);
        _server.Restart();
    }

    /// <summary>Stops the server and deletes its files.</summary>
    public void Dispose()
    {
        lock (s_gate) s_live.Remove(this);
        _server.Stop();
    }

    /// <summary>Sandbox(url) with the password masked.</summary>
    public override string ToString() => $"Sandbox({Url})";
}
