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
}
