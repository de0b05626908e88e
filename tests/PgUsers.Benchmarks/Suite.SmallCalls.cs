using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    private const int ParallelRunspaces = 16;
    private const int ParallelCalls = 2_000;

    /// <summary>
    /// Small calls as a user's script makes them, in real pwsh (the pinned .NET tool), one process per run so
    /// each run is a fresh pwsh: Invoke-DbQuery -Scalar pooled (the default reset, and -ResetOnReturn Rollback),
    /// inside one Use-DbSession, with -Session on each call, against an empty cmdlet plus ExecuteScalar on one open
    /// connection (SimplySql's way) and against raw pooled Npgsql in a process of its own plus the empty cmdlet;
    /// and 16 runspaces (ForEach-Object -Parallel) on one engine against 16 raw Npgsql threads on one data source.
    /// Each figure is the median of 3 in its process; rows give the median and the range over the processes.
    /// </summary>
    private void SmallCalls()
    {
        int n = _settings.Calls;
        var runs = Enumerable.Range(0, 3).Select(_ => RealPwsh(n)).ToList();
        double[] Series(string name) => runs.Select(r => r[name]).ToArray();
        double[] raw = Enumerable.Range(0, 3).Select(_ => RawProcess.Measure(_raw.ConnectionString, n) / n).ToArray();
        double[] rawParallel = Enumerable.Range(0, 3).Select(_ => RawParallel()).ToArray();
        AutoPrepare();

        double[] open = Series("open"), empty = Series("empty");
        AddVersus("Invoke-DbQuery 'SELECT 1' -Scalar, pooled (default reset), real pwsh", Series("pooled"), open, 1.0);
        AddVersus("… same, inside one Use-DbSession", Series("session"), open, 1.1);
        AddVersus("… same, pooled, -ResetOnReturn Rollback", Series("rollback"), open, 1.1);
        AddVersus("… same, -Session $s on each call", Series("sessionParam"), open, 1.0);
        var cost = runs.Select((r, i) => r["pooled"] / (raw[i] + r["empty"])).ToArray();
        _rows.Add(new ResultRow("… same, pooled, vs raw pooled Npgsql (own process) + empty cmdlet", Range(Series("pooled"), ResultRow.PerCall),
            ResultRow.Format($"raw {Median(raw) * 1e6:0.0} + empty cmdlet {Median(empty) * 1e6:0.0} µs/call"),
            ResultRow.Format($"{cost.Min():0.00}–{cost.Max():0.00}× cost"), "≤ 1.2×", ResultRow.Verdict(Median(cost) <= 1.2)));
        var inside = runs.Select(r => r["pooled"] / r["session"]).ToArray();
        _rows.Add(new ResultRow("small statements inside a session vs outside", Range(Series("session"), ResultRow.PerCall),
            $"pooled, outside: {Range(Series("pooled"), ResultRow.PerCall)}", ResultRow.Format($"{inside.Min():0.00}–{inside.Max():0.00}× as fast"), "—", "info"));
        var parallel = runs.Select((r, i) => (ParallelRunspaces * ParallelCalls / r["parallel"]) / rawParallel[i]).ToArray();
        _rows.Add(new ResultRow($"{ParallelRunspaces} runspaces × {ParallelCalls:N0} calls, ForEach-Object -Parallel, one engine",
            ResultRow.Rate(ParallelRunspaces * ParallelCalls / Median(Series("parallel"))) + " calls",
            ResultRow.Rate(Median(rawParallel)) + $" calls, {ParallelRunspaces} raw Npgsql threads, one data source",
            ResultRow.Format($"{parallel.Min():0.00}–{parallel.Max():0.00}× raw"), "—", "info"));
    }

    /// <summary>
    /// Whether Npgsql's automatic preparation pays for a small statement: the raw pooled loop without a reset
    /// (as -ResetOnReturn Rollback leaves a connection; DISCARD ALL would drop what was prepared), prepared
    /// after its second use against never.
    /// </summary>
    private void AutoPrepare()
    {
        int n = _settings.Calls;
        using var plain = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_raw.ConnectionString) { NoResetOnClose = true }.ConnectionString);
        using var prepared = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_raw.ConnectionString) { NoResetOnClose = true, MaxAutoPrepare = 20 }.ConnectionString);
        const string Sql = "SELECT id, note FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, note) WHERE id = $1";
        void Loop(NpgsqlDataSource source)
        {
            for (int i = 0; i < n; i++)
            {
                using var connection = source.OpenConnection();
                using var command = new NpgsqlCommand(Sql, connection) { Parameters = { new() { Value = 1 } } };
                command.ExecuteScalar();
            }
        }
        var seconds = InterleavedTimed(Measure.Timed(() => Loop(prepared)), Measure.Timed(() => Loop(plain)));
        double ratio = seconds[1] / seconds[0];
        _rows.Add(new ResultRow($"(reference) Max Auto Prepare 20, raw pooled, no reset, a small parameterised SELECT, {n:N0} calls", ResultRow.PerCall(seconds[0] / n),
            $"never prepared: {ResultRow.PerCall(seconds[1] / n)}", ResultRow.Format($"{ratio:0.00}× as fast"), "—", "info"));
    }

    private void AddVersus(string operation, double[] ours, double[] baseline, double atLeast)
    {
        var ratios = ours.Select((o, i) => baseline[i] / o).ToArray();
        _rows.Add(new ResultRow(operation, Range(ours, ResultRow.PerCall),
            $"empty cmdlet + ExecuteScalar on one open connection: {Range(baseline, ResultRow.PerCall)}",
            ResultRow.Format($"{ratios.Min():0.00}–{ratios.Max():0.00}× as fast"), ResultRow.Format($"≥ {atLeast:0.0}×"), ResultRow.Verdict(Median(ratios) >= atLeast)));
    }

    private static string Range(double[] values, Func<double, string> show) => $"{show(Median(values))} ({show(values.Min())}–{show(values.Max())})";

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>16 threads each making 2,000 pooled calls on one data source of 16 connections: calls per second.</summary>
    private double RawParallel()
    {
        var builder = new NpgsqlConnectionStringBuilder(_raw.ConnectionString) { MaxPoolSize = ParallelRunspaces, MinPoolSize = ParallelRunspaces };
        using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        void Loop(int calls)
        {
            for (int i = 0; i < calls; i++)
            {
                using var connection = source.OpenConnection();
                using var command = new NpgsqlCommand("SELECT 1", connection);
                command.ExecuteScalar();
            }
        }
        Parallel.For(0, ParallelRunspaces, new ParallelOptions { MaxDegreeOfParallelism = ParallelRunspaces }, _ => Loop(100));
        var threads = Enumerable.Range(0, ParallelRunspaces).Select(_ => new Thread(() => Loop(ParallelCalls))).ToList();
        var clock = Stopwatch.StartNew();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return ParallelRunspaces * ParallelCalls / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One fresh `dotnet pwsh` running <see cref="SmallCallsScript"/>: seconds per call of each case (whole seconds for "parallel").</summary>
    private Dictionary<string, double> RealPwsh(int calls)
    {
        string root = Path.GetDirectoryName(Path.GetDirectoryName(_ps.Scalar<string>("(Get-Module PgUsers).Path"))!)!;
        while (!File.Exists(Path.Combine(root, "PgUsers.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("No PgUsers.sln above the module.");
        string script = Path.Combine(Path.GetTempPath(), $"pgusers-bench-{Environment.ProcessId}.ps1");
        File.WriteAllText(script, SmallCallsScript);
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", script }) start.ArgumentList.Add(a);
            // The URL carries the password: by the environment, not the command line.
            start.Environment["PGUSERS_BENCH_URL"] = _ps.Scalar<string>("$benchUrl");
            start.Environment["PGUSERS_BENCH_CS"] = _raw.ConnectionString;
            start.Environment["PGUSERS_BENCH_MODULE"] = _ps.Scalar<string>("(Get-Module PgUsers).Path");
            start.Environment["PGUSERS_BENCH_DLL"] = typeof(Suite).Assembly.Location;
            start.Environment["PGUSERS_BENCH_CALLS"] = calls.ToString(CultureInfo.InvariantCulture);
            start.Environment["PGUSERS_BENCH_PARALLEL"] = $"{ParallelRunspaces} {ParallelCalls}";
            using var child = Process.Start(start)!;
            var errors = child.StandardError.ReadToEndAsync();
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            var result = output.Split('\n').Select(l => l.Trim().Split(' ')).Where(p => p.Length == 2 && p[0].StartsWith("case:", StringComparison.Ordinal))
                .ToDictionary(p => p[0][5..], p => double.Parse(p[1], CultureInfo.InvariantCulture));
            if (child.ExitCode != 0 || result.Count < 7) throw new InvalidOperationException($"pwsh exited {child.ExitCode}: {output}{errors.Result}");
            return result;
        }
        finally
        {
            File.Delete(script);
        }
    }

    private const string SmallCallsScript = """
        $ErrorActionPreference = 'Stop'
        Import-Module $env:PGUSERS_BENCH_MODULE
        Import-Module $env:PGUSERS_BENCH_DLL
        Add-Type -Path (Join-Path (Split-Path $env:PGUSERS_BENCH_DLL) 'Npgsql.dll')
        $n = [int]$env:PGUSERS_BENCH_CALLS
        $runspaces, $perRunspace = $env:PGUSERS_BENCH_PARALLEL.Split(' ') | ForEach-Object { [int]$_ }
        $open = [Npgsql.NpgsqlConnection]::new($env:PGUSERS_BENCH_CS)
        $open.Open()
        [PgUsers.Benchmarks.InvokeBenchOpenConnectionCommand].GetProperty('Connection', [Reflection.BindingFlags]'NonPublic,Static').SetValue($null, $open)
        $rollback = New-DbEngine $env:PGUSERS_BENCH_URL -ResetOnReturn Rollback
        $parallelEngine = New-DbEngine $env:PGUSERS_BENCH_URL -PoolSize $runspaces -MaxOverflow 0
        $engine = New-DbEngine $env:PGUSERS_BENCH_URL   # the default engine: pooled calls name none
        $module = $env:PGUSERS_BENCH_MODULE
        $cases = [ordered]@{
            pooled       = { param($n) for ($i = 0; $i -lt $n; $i++) { $null = Invoke-DbQuery 'SELECT 1' -Scalar } }
            session      = { param($n) Use-DbSession { for ($i = 0; $i -lt $n; $i++) { $null = Invoke-DbQuery 'SELECT 1' -Scalar } } }
            sessionParam = { param($n) $s = New-DbSession; try { for ($i = 0; $i -lt $n; $i++) { $null = Invoke-DbQuery 'SELECT 1' -Scalar -Session $s } } finally { $s.Dispose() } }
            rollback     = { param($n) $e = $rollback; for ($i = 0; $i -lt $n; $i++) { $null = Invoke-DbQuery 'SELECT 1' -Scalar -Engine $e } }
            empty        = { param($n) for ($i = 0; $i -lt $n; $i++) { $null = Invoke-BenchEmpty 'SELECT 1' -Scalar } }
            open         = { param($n) for ($i = 0; $i -lt $n; $i++) { $null = Invoke-BenchOpenConnection 'SELECT 1' -Scalar } }
        }
        function Time($body, $n) { $clock = [Diagnostics.Stopwatch]::StartNew(); & $body $n; $clock.Elapsed.TotalSeconds / $n }
        foreach ($case in $cases.Keys) { $null = Time $cases[$case] ([Math]::Max(100, $n / 10)) }
        $times = @{}
        foreach ($case in $cases.Keys) { $times[$case] = [Collections.Generic.List[double]]::new() }
        for ($run = 0; $run -lt 3; $run++) { foreach ($case in $cases.Keys) { $times[$case].Add((Time $cases[$case] $n)) } }
        foreach ($case in $cases.Keys) { 'case:{0} {1}' -f $case, (($times[$case] | Sort-Object)[1]).ToString('R', [Globalization.CultureInfo]::InvariantCulture) }
        # Each runspace imports the module first; the span is from the first loop's start to the last loop's end.
        $spans = 1..$runspaces | ForEach-Object -ThrottleLimit $runspaces -Parallel {
            Import-Module $using:module
            $e = $using:parallelEngine
            $count = $using:perRunspace
            $null = Invoke-DbQuery 'SELECT 1' -Scalar -Engine $e
            $started = [Diagnostics.Stopwatch]::GetTimestamp()
            for ($i = 0; $i -lt $count; $i++) { $null = Invoke-DbQuery 'SELECT 1' -Scalar -Engine $e }
            [pscustomobject]@{ Started = $started; Ended = [Diagnostics.Stopwatch]::GetTimestamp() }
        }
        $seconds = (($spans.Ended | Measure-Object -Maximum).Maximum - ($spans.Started | Measure-Object -Minimum).Minimum) / [Diagnostics.Stopwatch]::Frequency
        'case:parallel {0}' -f $seconds.ToString('R', [Globalization.CultureInfo]::InvariantCulture)
        $open.Dispose()
        Get-DbEngine | Remove-DbEngine
        """;
}
