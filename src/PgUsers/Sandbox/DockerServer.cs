using System.Security.Cryptography;
using PgUsers.Engine;

namespace PgUsers.Sandbox;

/// <summary>
/// PostgreSQL in a container, run by the docker client on whichever engine answers it (Docker Engine,
/// Docker Desktop, Podman's API service). Works with any image that keeps the official postgres image's
/// contract (POSTGRES_USER, POSTGRES_PASSWORD, trailing server options).
/// </summary>
internal sealed class DockerServer : ISandboxServer
{
    /// <summary>The official image of the PostgreSQL major the module is tested with.</summary>
    public const string DefaultImage = "postgres:15";

    /// <summary>Every sandbox container carries this label, valued with the id of the process that started it.</summary>
    public const string Label = "pgusers.sandbox";

    private readonly string _name;
    private readonly DbUrl _url;
    private readonly System.Diagnostics.Process? _watchdog;
    private int _stopped;

    private DockerServer(string name, string id, string image, DbUrl url, System.Diagnostics.Process? watchdog)
    {
        _name = name;
        Id = id;
        Image = image;
        _url = url;
        _watchdog = watchdog;
    }

    public string Kind => "Container";
    public string Version { get; private set; } = "";
    public string? Directory => null;
    public bool IsRunning => Volatile.Read(ref _stopped) == 0;
    /// <summary>The container's id, as docker ps shows it.</summary>
    public string Id { get; }
    public string Image { get; }

    /// <summary>The engine's version as docker info reports it; else throws with docker info's own message.</summary>
    public static string Engine()
    {
        string docker = ProcessRunner.OnPath(OperatingSystem.IsWindows() ? "docker.exe" : "docker") ?? throw new ContainerEngineException(
            "The docker client is not on PATH. Install Docker (Docker Desktop, or Docker Engine with its client), or Podman with the docker client, then run 'docker info' to check.");
        string output;
        try
        {
            output = ProcessRunner.Run(docker, new[] { "info", "--format", "{{.ServerVersion}}" }, timeoutMs: 20_000);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            throw new ContainerEngineException(
                $"No container engine answers the docker client. 'docker info' says: {e.Message} " +
                "Start Docker (Docker Desktop, or the docker service), or Podman's API service with DOCKER_HOST pointing at its socket (see about_PgUsers).", e);
        }
        return output.Trim();
    }

    public static DockerServer Start(string image, string user, string password, int port, DbUrl url, Action<string>? log, CancellationToken cancellationToken)
    {
        string engine = Engine();
        string name = "pgusers-sandbox-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        // Watching before the container exists: a process killed during docker run leaves nothing either.
        var watchdog = OperatingSystem.IsWindows() ? null : ProcessRunner.StartWatchdog(RemoveCommand(name), directory: null);
        log?.Invoke($"docker run {image} on 127.0.0.1:{port} (engine {engine})");
        var (arguments, environment) = RunCommand(name, image, user, password, port);
        string id;
        try
        {
            id = ProcessRunner.Run("docker", arguments, timeoutMs: 600_000, environment: environment).Trim();
        }
        catch
        {
            Remove(name, watchdog);
            throw;
        }
        var server = new DockerServer(name, id.Length > 12 ? id[..12] : id, image, url, watchdog);
        try
        {
            server.WaitReady(log, cancellationToken);
            return server;
        }
        catch
        {
            server.Stop();
            throw;
        }
    }

    /// <summary>
    /// docker run's arguments and environment. The password travels in the docker client's environment
    /// (-e NAME without a value copies it from there), never on a command line that ps shows to every user.
    /// The port is published on 127.0.0.1 only.
    /// </summary>
    internal static (string[] Arguments, Dictionary<string, string> Environment) RunCommand(string name, string image, string user, string password, int port)
    {
        var arguments = new List<string>
        {
            "run", "-d", "--name", name, "--label", $"{Label}={Environment.ProcessId}",
            "-p", $"127.0.0.1:{port}:5432", "-e", "POSTGRES_USER=" + user, "-e", "POSTGRES_PASSWORD", image,
        };
        arguments.AddRange(ThrowawaySettings.AsOptions());
        return (arguments.ToArray(), new Dictionary<string, string>(StringComparer.Ordinal) { ["POSTGRES_PASSWORD"] = password });
    }

    /// <summary>
    /// Ready means the final server accepts the password through the published port: the image's
    /// temporary init server listens on no TCP port, so it never passes for ready.
    /// </summary>
    private void WaitReady(Action<string>? log, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var probe = new DbUrl(_url.Drivername, _url.Username, _url.Password, _url.Hosts, _url.Database,
            new[] { new KeyValuePair<string, string>("connect_timeout", "5") });
        using var pool = Driver.Instance.CreatePool(probe, new PoolSettings("sandbox-ready", 1, 0, 10, -1, false));
        string? last = null;
        while (true)
        {
            try
            {
                using var link = pool.Acquire(cancellationToken);
                Version = $"PostgreSQL {link.ExecuteScalar(new DbStatement("SHOW server_version"), cancellationToken)} ({Image}, container {Id})";
                log?.Invoke($"container {Id} accepts connections");
                return;
            }
            catch (Exception e) when (e is DbConnectionException or DbConnectionLostException or DbSqlException)
            {
                last = e.Message;
            }
            string state = ProcessRunner.Run("docker", new[] { "inspect", "--format", "{{.State.Status}}", _name }, throwOnError: false).Trim();
            if (state != "running" && state != "created")
            {
                string logs = ProcessRunner.Run("docker", new[] { "logs", "--tail", "15", _name }, throwOnError: false).Trim();
                throw new InvalidOperationException($"The container of {Image} stopped ({state}) before accepting connections. Its last lines:\n{logs}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The container of {Image} did not accept connections within 120 s (last: {last}).");
            }
            Thread.Sleep(250);
        }
    }

    /// <summary>Restarts the container; every open connection breaks, and it returns once the server accepts connections again.</summary>
    public void Restart()
    {
        ProcessRunner.Run("docker", new[] { "restart", _name }, timeoutMs: 120_000);
        WaitReady(null, CancellationToken.None);
    }

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        Remove(_name, _watchdog);
    }

    private static void Remove(string name, System.Diagnostics.Process? watchdog)
    {
        try { watchdog?.Kill(); } catch (InvalidOperationException) { }
        watchdog?.Dispose();
        // -v: the official image declares a volume for its data; it goes with the container.
        ProcessRunner.Run("docker", new[] { "rm", "-f", "-v", name }, throwOnError: false);
    }

    private static string RemoveCommand(string name) =>
        $"{ProcessRunner.Quote(ProcessRunner.OnPath("docker") ?? "docker")} rm -f -v {name}";
}
