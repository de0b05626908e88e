using System.Runtime.InteropServices;

namespace PgUsers.Sandbox;

/// <summary>A cluster made by initdb in a temp folder and run by pg_ctl (as the postgres user when we are root).</summary>
internal sealed class LocalServer : ISandboxServer
{
    private readonly string _bin;
    private readonly string _runAs;
    private int _stopped;
    private System.Diagnostics.Process? _watchdog;

    private LocalServer(string bin, string directory, string runAs, string version)
    {
        _bin = bin;
        Directory = directory;
        _runAs = runAs;
        Version = version;
    }

    public string Kind => "Local";
    public string Version { get; }
    public string? Directory { get; }
    public bool IsRunning => Volatile.Read(ref _stopped) == 0;
    private string DataDirectory => Path.Combine(Directory!, "data");

    /// <summary>The folder holding initdb and pg_ctl: the given one, PATH, pg_config --bindir, or the newest /usr/lib/postgresql/*/bin.</summary>
    public static string? TryFind(string? binDirectory)
    {
        static bool Has(string? dir) => dir is not null && File.Exists(Path.Combine(dir, Exe("initdb"))) && File.Exists(Path.Combine(dir, Exe("pg_ctl")));
        if (binDirectory is not null) return Has(binDirectory) ? binDirectory : throw new DirectoryNotFoundException($"No initdb and pg_ctl in '{binDirectory}'.");
        if (Path.GetDirectoryName(ProcessRunner.OnPath(Exe("initdb")) ?? "") is { Length: > 0 } onPath && Has(onPath)) return onPath;
        if (ProcessRunner.OnPath(Exe("pg_config")) is { } pgConfig)
        {
            try
            {
                string dir = ProcessRunner.Run(pgConfig, new[] { "--bindir" }).Trim();
                if (Has(dir)) return dir;
            }
            catch (InvalidOperationException) { }
        }
        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            return System.IO.Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), out int v) ? v : 0))
                .Where(x => Has(x.Dir))
                .OrderByDescending(x => x.Major)
                .Select(x => x.Dir)
                .FirstOrDefault();
        }
        return null;
    }

    public static LocalServer Start(string bin, string user, string password, int port, Action<string>? log)
    {
        bool root = !OperatingSystem.IsWindows() && geteuid() == 0;
        string directory = System.IO.Directory.CreateTempSubdirectory("pgusers-sandbox-").FullName;
        string runAs = root ? "postgres" : "";
        string version = ProcessRunner.Run(Path.Combine(bin, Exe("pg_ctl")), new[] { "--version" }).Trim();
        var server = new LocalServer(bin, directory, runAs, version);
        try
        {
            string pwfile = Path.Combine(directory, "pwfile");
            File.WriteAllText(pwfile, password + "\n");
            if (root)
            {
                // initdb refuses to run as root: the cluster belongs to the postgres user.
                ProcessRunner.Run("chown", new[] { "-R", "postgres:", directory });
            }
            log?.Invoke($"initdb in {directory}");
            server.RunTool("initdb", "-D", server.DataDirectory, "-U", user, "--pwfile", pwfile, "--auth", "scram-sha-256",
                "-E", "UTF8", "--locale", "C", "--no-sync");
            File.Delete(pwfile);
            // Throwaway data: durability settings off make tests and benchmarks faster.
            string options = $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='{directory}' " +
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB";
            log?.Invoke($"pg_ctl start on 127.0.0.1:{port}");
            server.RunTool("pg_ctl", "-D", server.DataDirectory, "-l", Path.Combine(directory, "server.log"), "-o", options, "-w", "-t", "60", "start");
            if (!OperatingSystem.IsWindows()) server.StartWatchdog();
            return server;
        }
        catch
        {
            server.Stop();
            throw;
        }
    }

    /// <summary>
    /// A tiny shell that stops the server and deletes its folder once this process is gone: exit
    /// handlers do not run when a process is killed or crashes, and a sandbox must not outlive it.
    /// </summary>
    private void StartWatchdog()
    {
        static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";
        string pgCtl = Quote(Path.Combine(_bin, "pg_ctl"));
        string stop = _runAs.Length == 0 ? pgCtl : $"{Quote(ProcessRunner.OnPath("runuser") ?? "/usr/sbin/runuser")} -u {_runAs} -- {pgCtl}";
        string script = "exec </dev/null >/dev/null 2>&1; " +
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"if [ -f {Quote(Path.Combine(DataDirectory, "postmaster.pid"))} ]; then {stop} -D {Quote(DataDirectory)} -m immediate -w stop; fi; " +
            $"rm -rf {Quote(Directory!)}";
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        _watchdog = System.Diagnostics.Process.Start(info);
    }

    private string RunTool(string tool, params string[] arguments)
    {
        string path = Path.Combine(_bin, Exe(tool));
        if (_runAs.Length == 0) return ProcessRunner.Run(path, arguments);
        var wrapped = new List<string> { "-u", _runAs, "--", path };
        wrapped.AddRange(arguments);
        return ProcessRunner.Run(ProcessRunner.OnPath("runuser") ?? "/usr/sbin/runuser", wrapped);
    }

    // -l again: without it the new postmaster would hold our output pipe open and we would wait forever.
    public void Restart() => RunTool("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(Directory!, "server.log"), "-m", "fast", "-w", "-t", "60", "restart");

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        try { _watchdog?.Kill(); } catch (InvalidOperationException) { }
        _watchdog?.Dispose();
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                RunTool("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Best effort: the folder goes either way.
        }
        try { System.IO.Directory.Delete(Directory!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string Exe(string program) => OperatingSystem.IsWindows() ? program + ".exe" : program;

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
