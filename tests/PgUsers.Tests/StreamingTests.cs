using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Large results stream through a reader thread (Prefetch): order, result-set changes, mid-stream errors,
/// early stops and Ctrl+C must behave exactly as a plain loop would, and leave no connection checked out.
/// </summary>
public sealed class StreamingTests : DbTest
{
    public StreamingTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            $engine = New-DbEngine $url
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Invoke-DbQuery "INSERT INTO users (telegram_id, full_name, language_code) SELECT g, 'User ' || g, 'en' FROM generate_series(1, 1500) AS g"
            """);
    }

    [Fact]
    public void Every_row_arrives_in_order_across_result_sets()
    {
        var values = Shell.Values("""
            $rows = Invoke-DbQuery 'SELECT g AS a FROM generate_series(1, 1500) AS g; SELECT ''x'' AS b, g FROM generate_series(1, 700) AS g'
            $rows.Count
            ($rows | Where-Object { $null -ne $_.a }).Count
            $ok = $true; for ($i = 0; $i -lt 1500; $i++) { if ($rows[$i].a -ne $i + 1) { $ok = $false } }; $ok
            $rows[1500].PSObject.Properties.Name -join ','
            $rows[-1].g
            """);
        Assert.Equal(new object?[] { 2200, 1500, true, "b,g", 700 }, values);
    }

    [Fact]
    public void PipelineVariable_and_OutVariable_see_each_row()
    {
        var values = Shell.Values("""
            $seen = Invoke-DbQuery 'SELECT g AS n FROM generate_series(1, 1200) AS g' -PipelineVariable row | ForEach-Object { $row.n - $_.n }
            @($seen | Where-Object { $_ -ne 0 }).Count; $seen.Count
            $null = Get-DbUser -OutVariable got; $got.Count; $got[-1].TelegramId
            """);
        Assert.Equal(new object?[] { 0, 1200, 1500, 1500L }, values);
    }

    [Fact]
    public void Rows_before_a_mid_stream_error_arrive_then_the_error_ends_the_command()
    {
        var result = Shell.Invoke("""
            $script:seen = 0
            Invoke-DbQuery 'SELECT 10 / (3000 - g) AS v FROM generate_series(1, 5000) AS g' | ForEach-Object { $script:seen++ }
            """);
        Assert.NotNull(result.Error);
        Assert.Contains("22012", result.Error!.FullyQualifiedErrorId);
        Assert.True(Shell.Get<int>("seen") < 3000);
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
    }

    [Fact]
    public void Get_DbUser_streams_a_large_table_and_stops_early()
    {
        Shell.Run("Invoke-DbQuery \"INSERT INTO users (telegram_id, full_name, language_code) SELECT g, 'User ' || g, 'en' FROM generate_series(1501, 5000) AS g\"");
        var values = Shell.Values("""
            $all = Get-DbUser
            $all.Count; $all[0].TelegramId; $all[-1].TelegramId
            (Get-DbUser | Select-Object -First 2).TelegramId
            $engine.CheckedOut
            """);
        Assert.Equal(new object?[] { 5000, 1L, 5000L, 1L, 2L, 0 }, values);
    }

    [Fact]
    public void Get_DbUser_by_id_still_reports_the_missing_ones()
    {
        var result = Shell.Invoke("Get-DbUser -TelegramId 7, 999999, 1200");
        Assert.Equal(new object?[] { 7L, 1200L }, result.Output.Select(u => u.Prop("TelegramId")));
        var error = Assert.Single(result.Errors);
        Assert.Equal("PgUsers.UserNotFound,PgUsers.Commands.GetDbUserCommand", error.FullyQualifiedErrorId);
        Assert.Equal(999999L, error.TargetObject);
    }

    [Fact]
    public void Stopping_the_pipeline_cancels_the_read_on_the_server()
    {
        using var shell = PowerShell.Create();
        shell.Runspace = Shell.Runspace;
        shell.AddScript("Invoke-DbQuery 'SELECT generate_series(1, 500000000) AS n' | ForEach-Object { }");
        var running = shell.BeginInvoke();
        Thread.Sleep(1500);
        var clock = Stopwatch.StartNew();
        shell.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the pipeline did not stop");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT generate_series(1, 500000000)%' AND state = 'active'"));
    }

    [Fact]
    public void A_slow_query_streams_row_by_row_past_the_first_batch()
    {
        // Rows 1..600 come at once, then one row every 0.3 s: each must reach the pipeline as it is
        // read, not when a batch has filled. (Wide rows: the server flushes its 8 kB buffer per row.)
        var values = Shell.Values("""
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $times = Invoke-DbQuery 'SELECT g, repeat(''x'', 9000) AS wide, pg_sleep(CASE WHEN g > 600 THEN 0.3 ELSE 0 END) FROM generate_series(1, 606) AS g' |
                ForEach-Object { $clock.Elapsed.TotalSeconds }
            $times.Count
            $times[600] - $times[599]
            $times[605] - $times[600]
            """);
        Assert.Equal(606, values[0]);
        // Row 601 arrives ~0.3 s after row 600, and the last five follow one by one over ~1.5 s.
        Assert.InRange(Convert.ToDouble(values[2]), 1.0, 10.0);
    }

    [Fact]
    public void Stopping_early_while_the_server_is_slow_does_not_wait_for_its_next_row()
    {
        var clock = Stopwatch.StartNew();
        var rows = Shell.Run("Invoke-DbQuery 'SELECT g, repeat(''x'', 9000) AS wide, pg_sleep(CASE WHEN g > 700 THEN 60 ELSE 0 END) AS slow_marker FROM generate_series(1, 800) AS g' | Select-Object -First 650");
        Assert.Equal(650, rows.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow_marker%' AND state = 'active' AND pid <> pg_backend_pid()")) == 0, TimeSpan.FromSeconds(5)));
    }
}
