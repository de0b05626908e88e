using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PgUsers.Sandbox;

/// <summary>
/// PgBouncer in transaction mode in front of a sandbox server, from the local pgbouncer binary
/// (Debian's package), in a temp folder owned by the user it runs as (postgres when we are root).
/// </summary>
internal sealed class PoolerServer : ISandboxServer
{
    private readonly string _runAs;
    private int _stopped;
    private System.Diagnostics.Process? _watchdog;

    private PoolerServer(string directory, string runAs, string version)
    {
        Directory = directory;
        _runAs = runAs;
        Version = version;
    }

    public string Kind => "PgBouncer";
    public string Version { get; }
    public string? Directory { get; }
    public bool IsRunning => Volatile.Read(ref _stopped) == 0;
    private string PidFile => Path.Combine(Directory!, "pgbouncer.pid");

    /// <summary>The pgbouncer program: PATH, else Debian's /usr/sbin (not on a non-root PATH).</summary>
    public static string? TryFind() =>
        ProcessRunner.OnPath("pgbouncer") ?? (File.Exists("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : null);

    public static PoolerServer Start(string program, string user, string password, int serverPort, int port, Action<string>? log)
    {
        bool root = !OperatingSystem.IsWindows() && geteuid() == 0;
        string directory = System.IO.Directory.CreateTempSubdirectory("pgusers-pooler-").FullName;
        string version = ProcessRunner.Run(program, new[] { "--version" }).Split('\n')[0].Trim();
        var pooler = new PoolerServer(directory, root ? "postgres" : "", version);
        try
        {
            string Quote(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
            // The same secret lets clients in (SCRAM) and PgBouncer log in to the server.
            string users = Path.Combine(directory, "userlist.txt");
            File.WriteAllText(users, $"{Quote(user)} {Quote(password)}\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(users, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            string config = Path.Combine(directory, "pgbouncer.ini");
            File.WriteAllText(config, string.Join("\n",
                "[databases]",
                $"* = host=127.0.0.1 port={serverPort.ToString(CultureInfo.InvariantCulture)}",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                $"listen_port = {port.ToString(CultureInfo.InvariantCulture)}",
                $"unix_socket_dir = {directory}",
                "pool_mode = transaction",
                "auth_type = scram-sha-256",
                $"auth_file = {users}",
                "max_client_conn = 500",
                "default_pool_size = 20",
                $"logfile = {Path.Combine(directory, "pgbouncer.log")}",
                $"pidfile = {Path.Combine(directory, "pgbouncer.pid")}",
                "") + "\n");
            if (root) ProcessRunner.Run("chown", new[] { "-R", "postgres:", directory });
            log?.Invoke($"pgbouncer (transaction mode) on 127.0.0.1:{port} in front of 127.0.0.1:{serverPort}");
            // -d: PgBouncer forks into the background and closes its standard streams, so Run returns.
            if (root) ProcessRunner.Run(ProcessRunner.OnPath("runuser") ?? "/usr/sbin/runuser", new[] { "-u", "postgres", "--", program, "-d", config });
            else ProcessRunner.Run(program, new[] { "-d", config });
            if (!OperatingSystem.IsWindows()) pooler.StartWatchdog();
            WaitForPort(port, TimeSpan.FromSeconds(30));
            return pooler;
        }
        catch
        {
            pooler.Stop();
            throw;
        }
    }

    private static void WaitForPort(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"PgBouncer did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds:0} s: {e.Message}");
            }
        }
    }

    /// <summary>Stops PgBouncer and deletes its folder when this process dies without stopping it.</summary>
    private void StartWatchdog()
    {
        string pid = ProcessRunner.Quote(PidFile);
        _watchdog = ProcessRunner.StartWatchdog($"if [ -f {pid} ]; then kill -TERM \"$(cat {pid})\"; fi", Directory!);
    }

    public void Restart() => throw new NotSupportedException("Restart the server behind the pooler instead.");

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        try { _watchdog?.Kill(); } catch (InvalidOperationException) { }
        _watchdog?.Dispose();
        try
        {
            if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // Already gone: the folder goes either way.
        }
        LocalServer.DeleteFolder(Directory!);
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
