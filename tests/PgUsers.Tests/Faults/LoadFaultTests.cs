using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>A statement timeout, and 16 runspaces hammering one engine: clear errors, bounds kept, nothing leaked.</summary>
public sealed class LoadFaultTests : DbTest
{
    public LoadFaultTests(ServerFixture server) : base(server)
    {
    }

    [Fact]
    public void A_statement_timeout_cancels_on_the_server_and_returns_the_connection()
    {
        Shell.Run("$engine = New-DbEngine \"${url}?application_name=timeout_fault\" -PoolSize 1");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT pg_sleep(60) AS timeout_marker' -CommandTimeout 1");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal("PgUsers.CommandTimeout,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, result.Error!.CategoryInfo.Category);
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%timeout_marker%' AND pid <> pg_backend_pid()")) == 0, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
    }

    [Fact]
    public async Task Sixteen_runspaces_times_500_queries_stay_within_PoolSize_plus_MaxOverflow()
    {
        string app = "load16x500";
        Shell.Set("u", Url + "?application_name=" + app).Set("manifest", Paths.Manifest);
        Shell.Run("$engine = New-DbEngine $u -PoolSize 3 -MaxOverflow 2 -PoolTimeout 120");
        int peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ConnectionsNamed(app));
                Thread.Sleep(20);
            }
        });
        var counts = Shell.Values("""
            1..16 | ForEach-Object -ThrottleLimit 16 -Parallel {
                Import-Module $using:manifest
                $engine = $using:engine
                $ok = 0
                foreach ($i in 1..500) { if ((Invoke-DbQuery 'SELECT @i::int' @{ i = $i } -Scalar -Engine $engine) -eq $i) { $ok++ } }
                $ok
            }
            """);
        sampling.Cancel();
        await sampler;
        Assert.Equal(Enumerable.Repeat(500, 16), counts.Select(Convert.ToInt32));
        Assert.InRange(peak, 1, 5);
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
    }
}
