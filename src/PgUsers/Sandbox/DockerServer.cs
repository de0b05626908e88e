namespace PgUsers.Sandbox;

/// <summary>The postgres container image, used when no local binaries exist and a Docker engine answers.</summary>
internal sealed class DockerServer : ISandboxServer
{
    private readonly string _container;
    private int _stopped;

    private DockerServer(string container) => _container = container;

    public string Kind => "Docker";
    public string Version => "postgres:16 (container)";
    public string? Directory => null;
    public bool IsRunning => Volatile.Read(ref _stopped) == 0;

    public static bool IsAvailable()
    {
        if (ProcessRunner.OnPath("docker") is null) return false;
        try
        {
            ProcessRunner.Run("docker", new[] { "info", "--format", "{{.ServerVersion}}" }, timeoutMs: 10_000);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static DockerServer Start(string user, string password, int port, Action<string>? log)
    {
        log?.Invoke($"docker run postgres:16 on 127.0.0.1:{port}");
        var (arguments, environment) = RunCommand(user, password, port);
        string id = ProcessRunner.Run("docker", arguments, timeoutMs: 300_000, environment: environment).Trim();
        var server = new DockerServer(id);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            string status = ProcessRunner.Run("docker", new[] { "exec", id, "pg_isready", "-U", user, "-h", "127.0.0.1" }, throwOnError: false);
            if (status.Contains("accepting connections", StringComparison.Ordinal)) return server;
            if (DateTime.UtcNow > deadline)
            {
                server.Stop();
                throw new TimeoutException("The postgres container did not accept connections within 60 s.");
            }
            Thread.Sleep(500);
        }
    }

    /// <summary>
    /// docker run's arguments and environment. The password travels in the docker client's environment
    /// (-e NAME without a value copies it from there), never on a command line that ps shows to every user.
    /// </summary>
    internal static (string[] Arguments, Dictionary<string, string> Environment) RunCommand(string user, string password, int port) => (
        new[] { "run", "-d", "--rm", "-p", $"127.0.0.1:{port}:5432", "-e", "POSTGRES_USER=" + user, "-e", "POSTGRES_PASSWORD", "postgres:16" },
        new Dictionary<string, string>(StringComparer.Ordinal) { ["POSTGRES_PASSWORD"] = password });

    public void Restart() => ProcessRunner.Run("docker", new[] { "restart", _container }, timeoutMs: 120_000);

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        ProcessRunner.Run("docker", new[] { "rm", "-f", _container }, throwOnError: false);
    }
}
