using Npgsql;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// The pool's reset on return (New-DbEngine -ResetOnReturn): with Discard, nothing one command leaves on a
/// connection reaches the next, whichever runspace runs it; with Rollback only the transaction ends; a
/// connection whose reset fails is closed, never handed out again.
/// </summary>
public sealed class ResetOnReturnTests : DbTest
{
    // Everything a command can leave on its connection, in one command: a role, a temp table, an advisory lock,
    // a LISTEN, a prepared statement. SET ROLE last, so the rest is done as the login role.
    private const string Leave = """
        Invoke-DbQuery 'CREATE TEMP TABLE leftover(x int); SELECT pg_advisory_lock(4242); LISTEN leftover_channel; PREPARE leftover_plan AS SELECT 1; SET ROLE reset_probe' -NonQuery | Out-Null
        """;

    // What the next command finds, and on which backend.
    private const string Look = """
        Invoke-DbQuery "SELECT pg_backend_pid() AS pid, current_user::text AS who,
            to_regclass('pg_temp.leftover') IS NOT NULL AS temp_table,
            (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,
            (SELECT count(*) FROM pg_listening_channels()) AS listens,
            (SELECT count(*) FROM pg_prepared_statements WHERE name = 'leftover_plan') AS prepared"
        """;

    public ResetOnReturnTests(ServerFixture server) : base(server)
    {
        SqlScalar("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reset_probe') THEN CREATE ROLE reset_probe; END IF; END$$");
    }

    private static void AssertClean(System.Management.Automation.PSObject seen)
    {
        Assert.NotEqual("reset_probe", seen.Prop("who"));
        Assert.Equal(false, seen.Prop("temp_table"));
        Assert.Equal(0L, seen.Prop("locks"));
        Assert.Equal(0L, seen.Prop("listens"));
        Assert.Equal(0L, seen.Prop("prepared"));
    }

    [Fact]
    public void Nothing_one_command_leaves_reaches_the_next_on_the_same_connection()
    {
        // One connection only, so the next command must get the very connection the first one changed.
        Shell.Run("$e = New-DbEngine $url -PoolSize 1 -MaxOverflow 0");
        var pid = Shell.Values("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar").Single();
        Shell.Run(Leave);
        var seen = Shell.Run(Look).Single();
        Assert.Equal(pid, seen.Prop("pid"));
        AssertClean(seen);
        Assert.Equal("Discard", Shell.Values("$e.ResetOnReturn").Single());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Nothing_a_command_in_another_runspace_leaves_reaches_this_one()
    {
        var engine = Shell.Run("New-DbEngine $url -PoolSize 1 -MaxOverflow 0")[0];
        using (var other = new Pwsh())
        {
            other.Set("e", engine);
            Assert.Null(other.Invoke(Leave.Replace("-NonQuery", "-NonQuery -Engine $e")).Error);
            var theirs = other.Values("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $e").Single();
            var seen = Shell.Run(Look).Single();
            Assert.Equal(theirs, seen.Prop("pid"));
            AssertClean(seen);
        }
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Rollback_ends_only_the_transaction_and_lets_session_state_carry_over()
    {
        Shell.Run("$e = New-DbEngine $url -PoolSize 1 -MaxOverflow 0 -ResetOnReturn Rollback");
        Assert.Equal("Rollback", Shell.Values("$e.ResetOnReturn").Single());
        Shell.Run(Leave);
        var seen = Shell.Run(Look).Single();
        Assert.Equal("reset_probe", seen.Prop("who"));
        Assert.Equal(true, seen.Prop("temp_table"));
        Assert.Equal(1L, seen.Prop("locks"));
        Assert.Equal(1L, seen.Prop("listens"));
        Assert.Equal(1L, seen.Prop("prepared"));
        // A transaction opened in SQL text is still rolled back.
        Shell.Run("Invoke-DbQuery 'RESET ROLE; CREATE TABLE IF NOT EXISTS kept(x int)' -NonQuery | Out-Null; Invoke-DbQuery 'BEGIN; INSERT INTO kept VALUES (1)' -NonQuery | Out-Null");
        // Still inside it, the same connection would see its own row.
        Assert.Equal(0L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM kept' -Scalar").Single());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_transaction_left_open_in_SQL_text_is_rolled_back_and_the_connection_reset()
    {
        Shell.Run("$e = New-DbEngine $url -PoolSize 1 -MaxOverflow 0");
        var pid = Shell.Values("Invoke-DbQuery 'CREATE TABLE IF NOT EXISTS opened(x int)' -NonQuery | Out-Null; Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar").Single();
        Shell.Run("Invoke-DbQuery 'BEGIN; INSERT INTO opened VALUES (1); CREATE TEMP TABLE leftover(x int)' -NonQuery | Out-Null");
        var seen = Shell.Run(Look).Single();
        Assert.Equal(pid, seen.Prop("pid"));
        AssertClean(seen);
        Assert.Equal(0L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM opened' -Scalar").Single());
    }

    [Fact]
    public void A_connection_whose_reset_fails_is_closed_and_never_handed_out()
    {
        // lock_timeout set at connect survives DISCARD ALL's RESET ALL, so its DISCARD TEMP gives up on a locked temp table.
        var engine = Shell.Run("New-DbEngine ($url + '?options=-c%20lock_timeout%3D300') -PoolSize 1 -MaxOverflow 0")[0];
        using var holder = Background.Start("""
            $s = New-DbSession -Engine $e
            Invoke-DbQuery 'CREATE TEMP TABLE reset_blocker(x int)' -Session $s
            $s.Commit()
            Invoke-DbQuery 'SELECT pg_sleep(1.5) AS reset_blocker_marker' -Session $s
            $s.Dispose()
            """, ("e", engine));
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%reset_blocker_marker%' AND pid <> pg_backend_pid()")) == 1, TimeSpan.FromSeconds(15)));
        var pid = Convert.ToInt32(SqlScalar("SELECT pid FROM pg_stat_activity WHERE query LIKE '%reset_blocker_marker%' AND pid <> pg_backend_pid()"));
        var schema = (string)SqlScalar("SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'reset_blocker'")!;
        var builder = new NpgsqlConnectionStringBuilder(Server.AdminConnectionString) { Database = Database, Pooling = false };
        using (var locker = new NpgsqlConnection(builder.ConnectionString))
        {
            locker.Open();
            using var transaction = locker.BeginTransaction();
            using (var command = new NpgsqlCommand($"LOCK TABLE \"{schema}\".reset_blocker IN ACCESS SHARE MODE", locker, transaction)) command.ExecuteNonQuery();
            Assert.Null(holder.Wait().Error);
            // The reset waits 300 ms for the lock and fails; the backend is told to end (it drops its temp table
            // on the way out, so it goes once the lock is released).
            Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
                $"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid} AND query LIKE '%pg_terminate_backend%'")) == 1, TimeSpan.FromSeconds(10)));
            transaction.Rollback();
        }
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar($"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}")) == 0, TimeSpan.FromSeconds(10)));
        var next = Shell.Values("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar").Single();
        Assert.NotEqual(pid, Convert.ToInt32(next));
        AssertNothingCheckedOut();
    }
}
