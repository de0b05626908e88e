using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Use-DbSession -Retry: the whole block again, in a fresh transaction, after 40001, 40P01 or a lost connection only.</summary>
public sealed class SessionRetryTests : DbTest
{
    public SessionRetryTests(ServerFixture server) : base(server)
    {
        Shell.Run("New-DbEngine $url | Out-Null");
    }

    private const string AlwaysConflicts = "Invoke-DbQuery \"DO `$`$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END `$`$\"";

    [Fact]
    public void Two_sessions_in_a_real_deadlock_both_end_committed_exactly_once()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counters VALUES (1, 0), (2, 0)'");
        const string Unit = """
            New-DbEngine $url | Out-Null
            $attempts = 0
            Use-DbSession -Retry 3 -RetryDelay 0.05 -Verbose {
                $attempts++
                Invoke-DbQuery 'UPDATE counters SET n = n + @d WHERE id = @id' @{ d = $d; id = $first }
                # Both hold their first row before either asks for its second: a deadlock, every time.
                if ($attempts -eq 1) { [void]$barrier.SignalAndWait([TimeSpan]::FromSeconds(20)) }
                Invoke-DbQuery 'UPDATE counters SET n = n + @d WHERE id = @id' @{ d = $d; id = $second }
            }
            $attempts
            """;
        using var barrier = new Barrier(2);
        using var a = Background.Start(Unit, ("url", Url), ("barrier", barrier), ("d", 1), ("first", 1), ("second", 2));
        using var b = Background.Start(Unit, ("url", Url), ("barrier", barrier), ("d", 10), ("first", 2), ("second", 1));
        var ra = a.Wait(TimeSpan.FromSeconds(60));
        var rb = b.Wait(TimeSpan.FromSeconds(60));
        Assert.Null(ra.Terminating);
        Assert.Null(rb.Terminating);
        Assert.Equal(new[] { 1, 2 }, new[] { (int)ra.Output.Last().BaseObject, (int)rb.Output.Last().BaseObject }.Order());
        var retried = (int)ra.Output.Last().BaseObject == 2 ? ra : rb;
        Assert.Contains(retried.Verbose, v => v.Contains("deadlock (40P01") && v.Contains("Retry 1 of 3"));
        // Each unit's +1 or +10 landed once on each row.
        Assert.Equal(new object?[] { 11, 11 }, Sql("SELECT n FROM counters ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void A_connection_killed_mid_unit_is_retried_on_a_new_one_and_committed_once()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE ledger (entry int)'");
        var result = Shell.Invoke("""
            $attempts = 0; $pids = @()
            Use-DbSession -Retry 2 -RetryDelay 0 -Verbose {
                $attempts++
                $pids += Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar
                Invoke-DbQuery 'INSERT INTO ledger VALUES (1)'
                if ($attempts -eq 1) { Invoke-DbQuery 'SELECT pg_terminate_backend(pg_backend_pid())' | Out-Null }
                Invoke-DbQuery 'SELECT 1' | Out-Null
            }
            $attempts; $pids.Count; ($pids | Select-Object -Unique).Count
            """);
        Assert.Null(result.Error);
        Assert.Equal(new object[] { 2, 2, 2 }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Contains(result.Verbose, v => v.StartsWith("Unit of work rolled back: connection lost") && v.Contains("Retry 1 of 2"));
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM ledger"));
        Assert.Equal(0, Shell.Values("(Get-DbEngine).CheckedOut").Single());
    }

    [Fact]
    public void Retries_stop_after_N_and_the_last_error_is_thrown()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE tries (n int)'");
        var result = Shell.Invoke("$script:n = 0; Use-DbSession -Retry 2 -RetryDelay 0 -Verbose { $script:n++; Invoke-DbQuery 'INSERT INTO tries VALUES (1)'; " + AlwaysConflicts + " }");
        Assert.Equal("PgUsers.Sql.40001,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(3, Shell.Get<int>("n"));
        Assert.Equal(2, result.Verbose.Count(v => v.Contains("serialization failure (40001: conflict)")));
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM tries"));
    }

    [Fact]
    public void Other_errors_and_nested_blocks_are_never_retried()
    {
        var result = Shell.Invoke("$script:n = 0; Use-DbSession -Retry 3 -RetryDelay 0 { $script:n++; Invoke-DbQuery 'SELECT 1/0' }");
        Assert.Equal("PgUsers.Sql.22012,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(1, Shell.Get<int>("n"));

        // The outer transaction is the unit: the inner block fails once and the outer one runs again.
        result = Shell.Invoke("$script:inner = 0; $script:outer = 0; Use-DbSession -Retry 1 -RetryDelay 0 { $script:outer++; Use-DbSession -Retry 5 { $script:inner++; " + AlwaysConflicts + " } }");
        Assert.Equal("PgUsers.Sql.40001,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal((2, 2), (Shell.Get<int>("outer"), Shell.Get<int>("inner")));

        // Caught inside the block, the failure still dooms the unit: rolled back, not retried.
        result = Shell.Invoke("$script:n = 0; Use-DbSession -Retry 3 -RetryDelay 0 { $script:n++; try { " + AlwaysConflicts + " } catch { } }");
        Assert.Equal("PgUsers.SessionRolledBack,PgUsers.Commands.UseDbSessionCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(1, Shell.Get<int>("n"));

        Assert.Equal("ParameterArgumentValidationError,PgUsers.Commands.UseDbSessionCommand",
            Shell.Invoke("Use-DbSession -Retry -1 { }").Error?.FullyQualifiedErrorId);
        Assert.Equal("ParameterArgumentValidationError,PgUsers.Commands.UseDbSessionCommand",
            Shell.Invoke("Use-DbSession -RetryDelay -0.5 { }").Error?.FullyQualifiedErrorId);
    }

    [Fact]
    public void A_block_that_committed_itself_is_not_retried_so_committed_work_is_never_repeated()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE rt (n int)'");
        var result = Shell.Invoke("$script:n = 0; Use-DbSession -Retry 3 -RetryDelay 0 -Verbose { param($s) $script:n++; Invoke-DbQuery 'INSERT INTO rt VALUES (1)'; $s.Commit(); " + AlwaysConflicts + " }");
        Assert.Equal("PgUsers.Sql.40001,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(1, Shell.Get<int>("n"));
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM rt"));
        Assert.Contains(result.Verbose, v => v.Contains("committed 1 time(s) itself: not retried"));

        // A commit that failed with 40001 (a deferred check at COMMIT: its outcome is known, nothing was committed) does not count.
        Shell.Run("""
            Invoke-DbQuery @'
            CREATE TABLE checked (n int);
            CREATE FUNCTION conflict_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'conflict at commit' USING ERRCODE = 'serialization_failure'; END $$;
            CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON checked DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION conflict_at_commit();
            '@
            """);
        result = Shell.Invoke("$script:n = 0; Use-DbSession -Retry 1 -RetryDelay 0 { param($s) $script:n++; Invoke-DbQuery 'INSERT INTO checked VALUES (1)'; $s.Commit() }");
        Assert.Contains("conflict at commit", result.Error?.Exception.Message);
        Assert.Equal(2, Shell.Get<int>("n"));
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM checked"));
        Assert.Equal(0, Shell.Values("(Get-DbEngine).CheckedOut").Single());
    }
}
