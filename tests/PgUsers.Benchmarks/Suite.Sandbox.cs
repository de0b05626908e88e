namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    /// <summary>
    /// Start-DbSandbox to the first query's answer: in a container (PGUSERS_TEST_IMAGE, from
    /// tools/container/engine.sh, else the default image) against local binaries. Stopping is not timed.
    /// </summary>
    private void SandboxStart()
    {
        string? image = Environment.GetEnvironmentVariable("PGUSERS_TEST_IMAGE");
        string start = string.IsNullOrEmpty(image) ? "Start-DbSandbox -Container" : $"Start-DbSandbox -Image '{image}'";
        const string Operation = "Start-DbSandbox → first query answered, in a container";
        if (!EngineAnswers())
        {
            _rows.Add(new ResultRow(Operation, "n/a (no container engine)", "local binaries", "n/a", "—", "info"));
            return;
        }
        Func<double> Timed(string startCommand) => () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            _ps.Run($"$bs = {startCommand}; $be = New-DbEngine $bs -Name sandboxbench; Invoke-DbQuery 'SELECT 1' -Scalar -Engine $be | Out-Null");
            double seconds = clock.Elapsed.TotalSeconds;
            _ps.Run("Remove-DbEngine $be; Stop-DbSandbox $bs");
            return seconds;
        };
        var seconds = InterleavedTimed(Timed(start), Timed("Start-DbSandbox"));
        _rows.Add(new ResultRow($"{Operation} ({(string.IsNullOrEmpty(image) ? "postgres:15" : "test image")})",
            ResultRow.Format($"{seconds[0]:0.00} s"), ResultRow.Format($"local binaries (initdb, pg_ctl): {seconds[1]:0.00} s"),
            ResultRow.Format($"{seconds[0] / seconds[1]:0.0}× the time"), "—", "info"));
    }

    private static bool EngineAnswers()
    {
        var info = new System.Diagnostics.ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("info");
        try
        {
            using var process = System.Diagnostics.Process.Start(info)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client
        }
    }
}
