using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Units of work: New-DbSession (object form) and Use-DbSession (script-block form).</summary>
public sealed class SessionTests : DbTest
{
    public SessionTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            $engine = New-DbEngine $url -PoolSize 2
            Invoke-DbQuery 'DROP TABLE IF EXISTS t; CREATE TABLE t(id int PRIMARY KEY, note text)'
            """);
    }

    private long Rows() => Convert.ToInt64(SqlScalar("SELECT count(*) FROM t"));

    [Fact]
    public void An_object_session_is_invisible_until_Commit_and_durable_after()
    {
        Shell.Run("""
            $s = New-DbSession
            Invoke-DbQuery 'INSERT INTO t VALUES (1)' -Session $s
            """);
        Assert.Equal(0L, Rows());
        Assert.Equal(1L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM t' -Scalar -Session $s").Single());
        Assert.Equal(1, Shell.Values("(Get-DbEngine -Default).CheckedOut").Single());
        Shell.Run("$s.Commit(); Invoke-DbQuery 'INSERT INTO t VALUES (2)' -Session $s; $s.Rollback(); $s.Dispose()");
        Assert.Equal(1L, Rows());
        Assert.Equal(1, Shell.Values("$s.Commits").Single());
        Assert.False((bool)Shell.Values("$s.IsActive").Single()!);
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Dispose_without_Commit_leaves_no_trace_and_returns_the_connection_clean()
    {
        var pid = Shell.Values("""
            $s = New-DbSession
            Invoke-DbQuery 'INSERT INTO t VALUES (1)' -Session $s
            Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Session $s
            $s.Dispose()
            """).Single();
        Assert.Equal(0L, Rows());
        AssertNothingCheckedOut();
        // The pooled connection is back idle, not idle in transaction.
        Assert.Equal("idle", SqlScalar($"SELECT state FROM pg_stat_activity WHERE pid = {pid}"));
    }

    [Fact]
    public void A_closed_session_is_a_clear_error_with_a_stable_id()
    {
        var result = Shell.Invoke("$s = New-DbSession; $s.Dispose(); Invoke-DbQuery 'SELECT 1' -Session $s");
        Assert.Equal("PgUsers.SessionClosed,PgUsers.Commands.InvokeDbQueryCommand", result.Error!.FullyQualifiedErrorId);
        var commit = Shell.Invoke("$s.Commit()");
        var exception = Assert.IsType<DbSessionExceptionShape>(DbSessionExceptionShape.From(commit.Error!.Exception));
        Assert.Equal("PgUsers.SessionClosed", exception.ErrorId);
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_session_used_from_another_runspace_is_a_clear_error()
    {
        var session = Shell.Run("$s = New-DbSession; $s")[0];
        using var other = new Pwsh();
        other.Set("s", session);
        var result = other.Invoke("Invoke-DbQuery 'SELECT 1' -Session $s");
        Assert.Equal("PgUsers.SessionWrongRunspace,PgUsers.Commands.InvokeDbQueryCommand", result.Error!.FullyQualifiedErrorId);
        Shell.Run("$s.Dispose()");
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Session_errors_can_be_caught_by_type_and_id()
    {
        var caught = Shell.Values("""
            $s = New-DbSession
            $s.Dispose()
            try { $s.Rollback() } catch [PgUsers.DbSessionException] { 'by type' }
            try { Invoke-DbQuery 'SELECT 1' -Session $s -ErrorAction Stop } catch { $_.Exception.ErrorId }
            """);
        Assert.Equal(new object?[] { "by type", "PgUsers.SessionClosed" }, caught);
    }

    [Fact]
    public void Removing_the_module_returns_the_connections_of_open_sessions()
    {
        var pid = Shell.Values("""
            $s = New-DbSession
            Invoke-DbQuery 'INSERT INTO t VALUES (1)' -Session $s
            Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Session $s
            """).Single();
        Shell.Run("Remove-Module PgUsers");
        Assert.True(Background.WaitUntil(() => SqlScalar($"SELECT state FROM pg_stat_activity WHERE pid = {pid}") is not "idle in transaction", TimeSpan.FromSeconds(5)));
        Assert.Equal(0L, Rows());
        Shell.Run($"Import-Module '{Paths.Manifest}'");
    }

    [Fact]
    public void Use_DbSession_with_Engine_inside_a_session_is_an_independent_unit()
    {
        var result = Shell.Invoke("""
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                Use-DbSession -Engine (Get-DbEngine -Default) { Invoke-DbQuery 'INSERT INTO t VALUES (2)' }
                throw 'outer'
            }
            """);
        Assert.Equal("outer", result.Terminating?.Message);
        Assert.Equal(new object?[] { 2 }, Sql("SELECT id FROM t").Select(r => r[0]).ToArray());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Use_DbSession_commits_when_the_block_ends_and_streams_its_output()
    {
        var output = Shell.Values("""
            function Add-Row($id) { Invoke-DbQuery 'INSERT INTO t VALUES (@id)' -Parameters @{ id = $id } -NonQuery }
            $seen = 0
            Use-DbSession {
                Add-Row 1
                Add-Row 2
                $seen = Invoke-DbQuery 'SELECT count(*) FROM t' -Scalar
            } | ForEach-Object { "out:$_" }
            "seen:$seen"
            """);
        Assert.Equal(new object?[] { "out:1", "out:1", "seen:2" }, output);
        Assert.Equal(2L, Rows());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Use_DbSession_makes_the_session_ambient_in_nested_functions_and_rolls_back_on_throw()
    {
        var result = Shell.Invoke("""
            function Add-Row($id) { Invoke-DbQuery 'INSERT INTO t VALUES (@id)' -Parameters @{ id = $id } }
            function Deep { Add-Row 2; Add-Row 3 }
            Use-DbSession { Add-Row 1; Deep; throw 'x' }
            'not reached'
            """);
        Assert.Equal("x", result.Terminating?.Message);
        Assert.Empty(result.Output);
        Assert.Equal(0L, Rows());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_failed_command_ends_the_block_and_rolls_back_the_whole_unit()
    {
        var result = Shell.Invoke("""
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                Invoke-DbQuery 'INSERT INTO t VALUES (2)'
            }
            'not reached'
            """);
        Assert.Equal("PgUsers.Sql.23505,PgUsers.Commands.InvokeDbQueryCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Empty(result.Output);
        Assert.Equal(0L, Rows());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_failure_caught_inside_the_block_still_rolls_back_the_unit()
    {
        // As in SQLAlchemy: a failed statement leaves the transaction fit only for rollback;
        // isolate a step that may fail in a nested Use-DbSession (a savepoint) instead.
        var result = Shell.Invoke("""
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                try { Invoke-DbQuery 'INSERT INTO t VALUES (1)' } catch { 'caught' }
            }
            """);
        Assert.Equal("caught", result.Output.Single().ToString());
        Assert.Equal("PgUsers.SessionRolledBack,PgUsers.Commands.UseDbSessionCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains("Invoke-DbQuery failed", result.Error.Exception.Message);
        Assert.Equal(0L, Rows());

        var commit = Shell.Invoke("""
            $s = New-DbSession
            Invoke-DbQuery 'INSERT INTO t VALUES (5)' -Session $s
            try { Invoke-DbQuery 'SELECT 1/0' -Session $s } catch { }
            $s.Commit()
            """);
        Assert.Equal("PgUsers.SessionRolledBack", DbSessionExceptionShape.From(commit.Error!.Exception)!.ErrorId);
        Shell.Run("Invoke-DbQuery 'INSERT INTO t VALUES (6)' -Session $s; $s.Commit(); $s.Dispose()");
        Assert.Equal(new object?[] { 6 }, Sql("SELECT id FROM t").Select(r => r[0]).ToArray());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_nested_Use_DbSession_failure_rolls_back_only_its_own_work()
    {
        Shell.Run("""
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                try {
                    Use-DbSession {
                        Invoke-DbQuery 'INSERT INTO t VALUES (2)'
                        throw 'inner'
                    }
                } catch { }
                Use-DbSession { Invoke-DbQuery 'INSERT INTO t VALUES (3)' }
            }
            """);
        Assert.Equal(new object?[] { 1, 3 }, Sql("SELECT id FROM t ORDER BY id").Select(r => r[0]).ToArray());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Break_out_of_the_block_keeps_its_work_and_exit_does_not()
    {
        Shell.Run("""
            foreach ($i in 1..3) {
                Use-DbSession { Invoke-DbQuery "INSERT INTO t VALUES ($i)"; if ($i -eq 2) { break } }
            }
            """);
        Assert.Equal(new object?[] { 1, 2 }, Sql("SELECT id FROM t ORDER BY id").Select(r => r[0]).ToArray());
        Shell.Invoke("& { Use-DbSession { Invoke-DbQuery 'INSERT INTO t VALUES (9)'; exit 1 } }");
        Assert.Equal(2L, Rows());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_downstream_Select_First_that_stops_the_block_early_rolls_it_back()
    {
        // The block did not run to its end, so its unit of work is not complete: nothing stays.
        var first = Shell.Values("""
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1) RETURNING id'
                Invoke-DbQuery 'INSERT INTO t VALUES (2) RETURNING id'
            } | Select-Object -First 1 | ForEach-Object { $_.id }
            """);
        Assert.Equal(new object?[] { 1 }, first);
        Assert.Equal(0L, Rows());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Variables_set_in_the_block_stay_in_the_callers_scope()
    {
        Assert.Equal(5, Shell.Values("$n = 0; Use-DbSession { $n = 5 }; $n").Single());
    }

    [Fact]
    public void A_stopped_pipeline_inside_a_session_leaves_no_trace()
    {
        using var running = Background.Start("""
            New-DbEngine $url | Out-Null
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                Invoke-DbQuery 'SELECT pg_sleep(60) AS session_stop_marker'
            }
            """, ("url", Url));
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%session_stop_marker%' AND pid <> pg_backend_pid()")) == 1, TimeSpan.FromSeconds(15)));
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.Equal(0L, Rows());
        Assert.Equal(0, running.Host.Values("(Get-DbEngine -Default).CheckedOut").Single());
    }
}

/// <summary>The DbSessionException as seen through PowerShell's method-call wrapper.</summary>
internal sealed record DbSessionExceptionShape(string ErrorId)
{
    public static DbSessionExceptionShape? From(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x.GetType().FullName == "PgUsers.DbSessionException") return new((string)x.GetType().GetProperty("ErrorId")!.GetValue(x)!);
        }
        return null;
    }
}
