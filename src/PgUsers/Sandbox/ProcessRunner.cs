using System.Diagnostics;

namespace PgUsers.Sandbox;

internal static class ProcessRunner
{
    /// <summary>Runs a program to completion; throws with its output when it fails.</summary>
    public static string Run(string fileName, IEnumerable<string> arguments, int timeoutMs = 120_000, bool throwOnError = true,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not finish within {timeoutMs / 1000} s.");
        }
        string output = stdout.Result + stderr.Result;
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} failed (exit {process.ExitCode}): {output.Trim()}");
        }
        return output;
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Shell quoting for one argument.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>
    /// A tiny shell that runs <paramref name="stop"/> and deletes <paramref name="directory"/> (when given)
    /// once this process is gone: exit handlers do not run when a process is killed or crashes, and a
    /// sandbox must not outlive it.
    /// </summary>
    public static Process StartWatchdog(string stop, string? directory)
    {
        string remove = directory is null ? "" : $"; rm -rf {Quote(directory)}";
        string script = "exec </dev/null >/dev/null 2>&1; " +
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop}{remove}";
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the sandbox watchdog.");
    }
}
