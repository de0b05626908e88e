using System.Text;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Large imports and units of work over the users table (the done-when scenarios).</summary>
public sealed class UserBulkTests : DbTest
{
    private const int Large = 100_000;

    public UserBulkTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Add-DbUser 1 'Kept One' -LanguageCode en
            Add-DbUser 2 'Kept Two' -LanguageCode en -ReferrerId 1
            """);
    }

    /// <summary>A users CSV of <paramref name="count"/> rows; each user is referred by the next one (a referrer always comes later).</summary>
    private static string WriteCsv(int count, int? repeatAt = null, long repeatedId = 0)
    {
        var text = new StringBuilder("telegram_id,full_name,username,language_code,created_at,referrer_id\n");
        for (int i = 1; i <= count; i++)
        {
            long id = i == repeatAt ? repeatedId : 1000 + i;
            string referrer = i < count ? (1001 + i).ToString() : "1";
            text.Append(id).Append(",User ").Append(i).Append(",user").Append(i).Append(",en,,").Append(referrer).Append('\n');
        }
        string path = Path.Combine(Path.GetTempPath(), $"pgusers-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void A_large_import_with_a_repeated_id_at_50001_leaves_the_table_as_before()
    {
        string before = UsersFingerprint();
        string path = WriteCsv(Large, repeatAt: 50_001, repeatedId: 1010);
        try
        {
            var result = Shell.Invoke($"Import-Csv '{path}' | Add-DbUser");
            Assert.Equal("PgUsers.DuplicateUser,PgUsers.Commands.AddDbUserCommand", result.Error!.FullyQualifiedErrorId);
            Assert.Contains("telegram_id 1010", result.Error.Exception.Message);
            Assert.Contains("50001", result.Error.Exception.Message);
            Assert.Equal(before, UsersFingerprint());
            AssertNothingCheckedOut();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_large_import_lands_in_one_call_with_progress()
    {
        string path = WriteCsv(Large);
        try
        {
            var result = Shell.Invoke($"Import-Csv '{path}' | Add-DbUser -Verbose");
            Assert.Null(result.Error);
            Assert.Equal((long)Large + 2, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users")));
            Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(DISTINCT xmin::text) FROM users WHERE telegram_id > 1000")));
            Assert.Equal(Large - 1L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users WHERE referrer_id = telegram_id + 1")));
            var progress = result.Progress.Where(p => p.Activity == "Add-DbUser").ToList();
            Assert.True(progress.Count >= 5, $"{progress.Count} progress records");
            Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
            Assert.Contains(result.Verbose, v => v.Contains($"Added {Large} users"));
            AssertNothingCheckedOut();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Many_changes_and_removals_go_in_batches_in_one_transaction_and_the_last_change_of_a_user_wins()
    {
        Shell.Run("""
            Invoke-DbQuery "SELECT g AS telegram_id, 'U' || g AS full_name, 'en' AS language_code FROM generate_series(1000, 12999) g" | Add-DbUser
            """);
        var result = Shell.Invoke("""
            $changes = Invoke-DbQuery "SELECT g AS telegram_id, 'de' AS language_code FROM generate_series(1000, 12999) g"
            $changes += [pscustomobject]@{ telegram_id = 1000; username = 'first' }
            $changes += [pscustomobject]@{ telegram_id = 1000; username = 'second' }
            $changes += [pscustomobject]@{ telegram_id = 99999; username = 'ghost' }
            $changes | Set-DbUser -PassThru | Select-Object -Last 1
            """);
        Assert.Equal("second", result.Output.Single().Prop("Username"));
        Assert.Equal("PgUsers.UserNotFound,PgUsers.Commands.SetDbUserCommand", result.Errors.Single().FullyQualifiedErrorId);
        Assert.Equal(12000L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users WHERE language_code = 'de'")));
        Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(DISTINCT xmin::text) FROM users WHERE telegram_id >= 1000")));
        Assert.Contains(result.Progress, p => p.Activity == "Set-DbUser");

        var removed = Shell.Invoke("Get-DbUser -LanguageCode de | Remove-DbUser -Force -Verbose");
        Assert.Contains(removed.Verbose, v => v.StartsWith("Removed 12000 users"));
        Assert.Contains(removed.Progress, p => p.Activity == "Remove-DbUser");
        Assert.Equal(2L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users")));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Add_and_Set_in_a_session_leave_no_trace_on_throw_and_are_durable_without()
    {
        string before = UsersFingerprint();
        var thrown = Shell.Invoke("""
            Use-DbSession {
                Add-DbUser 10 'Ten' -LanguageCode en -ReferrerId 1
                Set-DbUser 1 -FullName 'Renamed'
                throw 'x'
            }
            """);
        Assert.Equal("x", thrown.Terminating?.Message);
        Assert.Equal(before, UsersFingerprint());
        AssertNothingCheckedOut();

        Shell.Run("""
            Use-DbSession {
                Add-DbUser 10 'Ten' -LanguageCode en -ReferrerId 1
                Set-DbUser 1 -FullName 'Renamed'
            }
            """);
        Assert.Equal("Renamed", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 1"));
        Assert.Equal(1L, SqlScalar("SELECT referrer_id FROM users WHERE telegram_id = 10"));
        AssertNothingCheckedOut();

        // The object form, too.
        Shell.Run("""
            $s = New-DbSession
            Add-DbUser 11 'Eleven' -LanguageCode en -Session $s
            Set-DbUser 11 -LanguageCode de -Session $s
            """);
        Assert.Equal(0L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users WHERE telegram_id = 11")));
        Shell.Run("$s.Commit(); $s.Dispose()");
        Assert.Equal("de", SqlScalar("SELECT language_code FROM users WHERE telegram_id = 11"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_load_stopped_with_Ctrl_C_leaves_no_trace_and_returns_the_connection() => AssertStoppedLoadLeavesNoTrace("""
        1..10000000 | ForEach-Object { [pscustomobject]@{ telegram_id = 1000 + $_; full_name = "U$_"; language_code = 'en' } } | Add-DbUser
        """);

    [Fact]
    public void A_load_stopped_inside_a_session_leaves_no_trace() => AssertStoppedLoadLeavesNoTrace("""
        Use-DbSession {
            Set-DbUser 1 -FullName 'Stopped'
            1..10000000 | ForEach-Object { [pscustomobject]@{ telegram_id = 1000 + $_; full_name = "U$_"; language_code = 'en' } } | Add-DbUser
        }
        """);

    /// <summary>Starts <paramref name="load"/>, stops it (Ctrl+C) once its COPY runs on the server, and checks nothing stayed.</summary>
    private void AssertStoppedLoadLeavesNoTrace(string load)
    {
        string before = UsersFingerprint();
        using var running = Background.Start("New-DbEngine $url | Out-Null\n" + load, ("url", Url));
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY %' AND pid <> pg_backend_pid()")) > 0, TimeSpan.FromSeconds(30)));
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.Equal(before, UsersFingerprint());
        Assert.Equal(0, running.Host.Values("(Get-DbEngine -Default).CheckedOut").Single());
    }
}
