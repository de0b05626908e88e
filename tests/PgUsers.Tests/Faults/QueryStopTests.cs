using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>Stopping early (Select-Object -First, Ctrl+C, a throw downstream) stops the server and leaks nothing.</summary>
public sealed class QueryStopTests : DbTest
{
    public QueryStopTests(ServerFixture server) : base(server)
    {
    }

    private long ActiveStatements(string marker) =>
        Convert.ToInt64(SqlScalar($"SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%{marker}%' AND pid <> pg_backend_pid()"));

    [Fact]
    public void Select_First_stops_the_read_without_draining_the_rest()
    {
        Shell.Run("$engine = New-DbEngine $url -PoolSize 1");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = Shell.Run("Invoke-DbQuery 'SELECT generate_series(1, 200000000) AS first_marker' | Select-Object -First 5");
        clock.Stop();
        Assert.Equal(new object?[] { 1, 2, 3, 4, 5 }, rows.Select(r => r.Prop("first_marker")).ToArray());
        // Draining 200M rows takes minutes; stopping takes a round trip.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(0L, ActiveStatements("first_marker"));
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
    }

    [Fact]
    public void Ctrl_C_cancels_the_running_statement_on_the_server()
    {
        var engine = Shell.Run("New-DbEngine $url -PoolSize 1")[0];
        using var running = Background.Start("Invoke-DbQuery 'SELECT pg_sleep(60) AS ctrlc_marker' -Engine $engine", ("engine", engine));
        Assert.True(Background.WaitUntil(() => ActiveStatements("ctrlc_marker") == 1, TimeSpan.FromSeconds(10)));
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.True(Background.WaitUntil(() => ActiveStatements("ctrlc_marker") == 0, TimeSpan.FromSeconds(5)));
        Shell.Set("engine", engine);
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $engine").Single());
    }

    [Fact]
    public void A_throw_in_a_downstream_script_block_returns_the_connection()
    {
        Shell.Run("$engine = New-DbEngine $url -PoolSize 1");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT generate_series(1, 200000000) AS throw_marker' | ForEach-Object { throw 'downstream' }");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("downstream", result.Error?.Exception.Message);
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.True(Background.WaitUntil(() => ActiveStatements("throw_marker") == 0, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
    }
}
