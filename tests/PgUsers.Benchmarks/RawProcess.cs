using System.Diagnostics;
using System.Globalization;

namespace PgUsers.Benchmarks;

/// <summary>
/// The raw pooled loop in a process of its own (this executable again, in a hidden mode): no PowerShell engine,
/// module or big heap beside it, so the baseline is not slowed down by what shares the process with it.
/// </summary>
internal static class RawProcess
{
    public const string Mode = "--raw-percall";
    // The connection string (with its password) goes by the environment, not the command line that ps shows.
    private const string ConnectionVariable = "PGUSERS_BENCH_CONNECTION";
    private const string ResultPrefix = "raw-percall-seconds ";

    /// <summary>The child: warms up with one loop (JIT, pool), times a second, prints its seconds.</summary>
    public static int Child(int calls)
    {
        string connectionString = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{Mode} reads its connection string from {ConnectionVariable}.");
        using var raw = new RawDb(connectionString);
        raw.ScalarPooled(calls);
        var clock = Stopwatch.StartNew();
        raw.ScalarPooled(calls);
        Console.WriteLine(ResultPrefix + clock.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>The parent: runs one child and returns the seconds it timed (its start-up and warm-up left out).</summary>
    public static double Measure(string connectionString, int calls)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Run as `dotnet PgUsers.Benchmarks.dll` the host is dotnet itself: name the assembly again.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) start.ArgumentList.Add(typeof(RawProcess).Assembly.Location);
        start.ArgumentList.Add(Mode);
        start.ArgumentList.Add(calls.ToString(CultureInfo.InvariantCulture));
        start.Environment[ConnectionVariable] = connectionString;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        var errors = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        string? line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"{Mode} child exited {child.ExitCode}: {output}{errors.Result}");
        }
        return double.Parse(line[ResultPrefix.Length..], CultureInfo.InvariantCulture);
    }
}
