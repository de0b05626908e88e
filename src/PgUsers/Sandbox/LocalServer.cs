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
        var server = Create(bin);
        try
        {
            string pwfile = Path.Combine(server.Directory!, "pwfile");
            File.WriteAllText(pwfile, password + "\n");
            server.GiveAway();
            log?.Invoke($"initdb in {server.Directory}");
            server.RunTool("initdb", "-D", server.DataDirectory, "-U", user, "--pwfile", pwfile, "--auth", "scram-sha-256",
                "-E", "UTF8", "--locale", "C", "--no-sync");
            File.Delete(pwfile);
            server.Launch(port, log);
            return server;
        }
        catch
        {
            server.Stop();
            throw;
        }
    }

    /// <summary>A streaming replica of the server on <paramref name="primaryPort"/>: pg_basebackup -R, then its own port.</summary>
    public static LocalServer StartStandby(string bin, string user, string password, int primaryPort, int port, Action<string>? log)
    {
        var server = Create(bin);
        try
        {
            // pg_basebackup -R writes this passfile into primary_conninfo, so the password stays off command lines.
            string passfile = Path.Combine(server.Directory!, "pgpass");
            File.WriteAllText(passfile, $"127.0.0.1:{primaryPort}:*:{user}:{password.Replace(@"\", @"\\").Replace(":", @"\:")}\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            server.GiveAway();
            log?.Invoke($"pg_basebackup of 127.0.0.1:{primaryPort} into {server.Directory}");
            server.RunTool("/usr/bin/env", "PGPASSFILE=" + passfile, BesideServer(bin, "pg_basebackup"),
                "-h", "127.0.0.1", "-p", primaryPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", user,
                "-D", server.DataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync", "-w");
            server.Launch(port, log);
            return server;
        }
        catch
        {
            server.Stop();
            throw;
        }
    }

    /// <summary>A client program of the same installation: beside pg_ctl, or beside what a linked pg_ctl points to, else on PATH.</summary>
    private static string BesideServer(string bin, string program)
    {
        string here = Path.Combine(bin, Exe(program));
        if (File.Exists(here)) return here;
        if (new FileInfo(Path.Combine(bin, Exe("pg_ctl"))).ResolveLinkTarget(returnFinalTarget: true) is { } target
            && Path.Combine(Path.GetDirectoryName(target.FullName)!, Exe(program)) is var linked && File.Exists(linked))
        {
            return linked;
        }
        return ProcessRunner.OnPath(Exe(program)) ?? throw new InvalidOperationException($"{program} was not found beside {bin}'s pg_ctl or on PATH.");
    }

    private static LocalServer Create(string bin)
    {
        bool root = !OperatingSystem.IsWindows() && geteuid() == 0;
        string directory = System.IO.Directory.CreateTempSubdirectory("pgusers-sandbox-").FullName;
        string version = ProcessRunner.Run(Path.Combine(bin, Exe("pg_ctl")), new[] { "--version" }).Trim();
        return new LocalServer(bin, directory, root ? "postgres" : "", version);
    }

    /// <summary>initdb, pg_basebackup and the server refuse to run as root: the folder belongs to the postgres user.</summary>
    private void GiveAway()
    {
        if (_runAs.Length > 0) ProcessRunner.Run("chown", new[] { "-R", _runAs + ":", Directory! });
    }

    private void Launch(int port, Action<string>? log)
    {
        string options = $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='{Directory}' " +
            string.Join(' ', ThrowawaySettings.AsOptions());
        log?.Invoke($"pg_ctl start on 127.0.0.1:{port}");
        RunTool("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(Directory!, "server.log"), "-o", options, "-w", "-t", "60", "start");
        if (!OperatingSystem.IsWindows()) StartWatchdog();
    }

    /// <summary>Ends recovery: a standby becomes a primary (pg_ctl promote, waiting until it accepts writes).</summary>
    public void Promote() => RunTool("pg_ctl", "-D", DataDirectory, "-w", "-t", "60", "promote");

    /// <summary>Stops the server (immediate) and deletes its folder when this process dies without stopping it.</summary>
    private void StartWatchdog()
    {
        string pgCtl = ProcessRunner.Quote(Path.Combine(_bin, "pg_ctl"));
        string stop = _runAs.Length == 0 ? pgCtl : $"{ProcessRunner.Quote(ProcessRunner.OnPath("runuser") ?? "/usr/sbin/runuser")} -u {_runAs} -- {pgCtl}";
        string pid = ProcessRunner.Quote(Path.Combine(DataDirectory, "postmaster.pid"));
        _watchdog = ProcessRunner.StartWatchdog($"if [ -f {pid} ]; then {stop} -D {ProcessRunner.Quote(DataDirectory)} -m immediate -w stop; fi", Directory!);
    }

    private string RunTool(string tool, params string[] arguments)
    {
        string path = Path.IsPathRooted(tool) ? tool : Path.Combine(_bin, Exe(tool));
        if (_runAs.Length == 0) return ProcessRunner.Run(path, arguments);
        var wrapped = new List<string> { "-u", _runAs, "--", path };
        wrapped.AddRange(arguments);
        return ProcessRunner.Run(ProcessRunner.OnPath("runuser") ?? "/usr/sbin/runuser", wrapped);
    }

    // -l again: without it the new postmaster would hold our output pipe open and we would wait forever.
    public void Restart() => RunTool("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(Directory!, "server.log"), "-m", "fast", "-w", "-t", "60", "restart");

    public void Stop() => Stop("immediate");

    /// <summary>Stops the server with pg_ctl's <paramref name="mode"/> (fast: a clean shutdown that first sends standbys all of its WAL) and deletes its folder.</summary>
    public void Stop(string mode)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        try { _watchdog?.Kill(); } catch (InvalidOperationException) { }
        _watchdog?.Dispose();
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                RunTool("pg_ctl", "-D", DataDirectory, "-m", mode, "-w", "stop");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // A stop that failed (or timed out) must still not leave a server writing into the folder.
            if (mode != "immediate")
            {
                try { RunTool("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop"); }
                catch (Exception again) when (again is InvalidOperationException or TimeoutException) { }
            }
        }
        DeleteFolder(Directory!);
    }

    /// <summary>Deletes a server's folder, retrying while a process that is shutting down still writes into it.</summary>
    internal static void DeleteFolder(string directory)
    {
        for (int attempt = 0; attempt < 10 && System.IO.Directory.Exists(directory); attempt++)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string Exe(string program) => OperatingSystem.IsWindows() ? program + ".exe" : program;

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
