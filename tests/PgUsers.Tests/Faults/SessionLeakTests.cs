using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>
/// A session left open is not left forever: when its runspace closes, or when nothing holds it any more, it
/// is rolled back and its connection goes back to the pool (the engine's CheckedOut, the server's view).
/// </summary>
public sealed class SessionLeakTests : DbTest
{
    public SessionLeakTests(ServerFixture server) : base(server)
    {
    }

    /// <summary>Backends of this application still inside a transaction (idle in transaction, aborted or not, or active).</summary>
    private long InTransaction(string application) => Convert.ToInt64(SqlScalar(
        $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND xact_start IS NOT NULL"));

    private static bool Eventually(Func<bool> condition) => Background.WaitUntil(condition, TimeSpan.FromSeconds(15));

    [Fact]
    public void Closing_a_runspace_rolls_back_its_sessions_and_returns_their_connections()
    {
        // The fault sweep's case: a session's statement stopped, then the runspace stopped and disposed.
        var engine = Shell.Run("New-DbEngine \"${url}?application_name=closing_runspace\" -PoolSize 2")[0];
        using (var running = Background.Start(
            "$s = New-DbSession -Engine $engine; Invoke-DbQuery 'SELECT pg_sleep(60) AS closing_marker' -Session $s", ("engine", engine)))
        {
            Assert.True(Background.WaitUntil(() => InTransaction("closing_runspace") == 1
                && Convert.ToInt64(SqlScalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%closing_marker%' AND state = 'active' AND pid <> pg_backend_pid()")) == 1,
                TimeSpan.FromSeconds(15)));
            running.Stop();
            Assert.Equal(1, Shell.Set("engine", engine).Values("$engine.CheckedOut").Single());
        }
        Assert.True(Eventually(() => (int)Shell.Values("$engine.CheckedOut").Single()! == 0), "the engine still shows the connection checked out");
        Assert.True(Eventually(() => InTransaction("closing_runspace") == 0), "the server still holds the session's transaction");
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $engine").Single());
    }

    [Fact]
    public void A_runspace_closed_with_an_idle_session_and_an_engine_made_from_a_url_leaves_nothing_open()
    {
        var engine = Shell.Run("New-DbEngine \"${url}?application_name=closing_idle\" -PoolSize 2")[0];
        using (var other = new Pwsh())
        {
            other.Set("engine", engine).Set("u", Url + "?application_name=closing_url_engine").Run("""
                $s = New-DbSession -Engine $engine
                Invoke-DbQuery 'CREATE TEMP TABLE held(n int); INSERT INTO held VALUES (1)' -Session $s
                Invoke-DbQuery 'SELECT 1' -Engine $u | Out-Null
                """);
            Assert.Equal(1L, InTransaction("closing_idle"));
            Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'closing_url_engine'")));
        }
        Assert.True(Eventually(() => (int)Shell.Set("engine", engine).Values("$engine.CheckedOut").Single()! == 0));
        Assert.True(Eventually(() => InTransaction("closing_idle") == 0));
        Assert.True(Eventually(() => ConnectionsNamed("closing_url_engine") == 0), "the runspace's URL engine kept its connections");
    }

    [Fact]
    public void A_session_that_is_simply_dropped_is_rolled_back_once_collected()
    {
        Shell.Run("""
            $engine = New-DbEngine "${url}?application_name=dropped_session" -PoolSize 2
            $s = New-DbSession
            Invoke-DbQuery 'SELECT 1 AS dropped_marker' -Session $s | Out-Null
            New-DbSession | Out-Null
            """);
        Assert.Equal(2, Shell.Values("$engine.CheckedOut").Single());
        // Npgsql sends BEGIN with the first statement: only the session that ran one is in a transaction yet.
        Assert.Equal(1L, InTransaction("dropped_session"));
        Shell.Run("$s = $null");
        Assert.True(Eventually(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return (int)Shell.Values("$engine.CheckedOut").Single()! == 0;
        }), "a dropped session kept its connection");
        Assert.True(Eventually(() => InTransaction("dropped_session") == 0));
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
    }
}
