using System.Text;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// How Add-, Set- and Remove-DbUser read their input: every form of object, strict conversion that
/// names the record, the column and the value, and one rule for a load (all or nothing, or -SkipInvalid).
/// </summary>
public sealed class UserInputTests : DbTest
{
    public UserInputTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Add-DbUser 1 'One' -LanguageCode en
            Add-DbUser 2 'Two' -LanguageCode en -ReferrerId 1 -Username two
            """);
    }

    /// <summary>Runs <paramref name="script"/>, which must fail with <paramref name="errorId"/> naming every one of <paramref name="named"/>, and change nothing.</summary>
    private void AssertRefused(string script, string errorId, params string[] named)
    {
        string before = UsersFingerprint();
        var result = Shell.Invoke(script);
        Assert.NotNull(result.Error);
        Assert.StartsWith(errorId + ",", result.Error!.FullyQualifiedErrorId);
        foreach (var text in named) Assert.Contains(text, result.Error.Exception.Message);
        Assert.Equal(before, UsersFingerprint());
        AssertNothingCheckedOut();
    }

    [Theory]
    [InlineData("'2.5'")]
    [InlineData("'12.6'")]
    [InlineData("'1e2'")]
    [InlineData("'0x20'")]
    [InlineData("'abc'")]
    [InlineData("'18446744073709551616'")]
    [InlineData("[bigint]::Pow(2, 64)")]
    [InlineData("2.5")]
    public void Ids_that_are_not_whole_numbers_are_refused_by_every_cmdlet_and_nothing_changes(string value)
    {
        string shown = value.StartsWith('\'') ? value : "";
        AssertRefused($"[pscustomobject]@{{ telegram_id = {value}; full_name = 'X'; language_code = 'en' }} | Add-DbUser",
            "PgUsers.InvalidUser", "Input record 1", "telegram_id", shown);
        AssertRefused($"[pscustomobject]@{{ telegram_id = {value}; full_name = 'X' }} | Set-DbUser", "PgUsers.InvalidUser", "telegram_id", shown);
        AssertRefused($"{value} | Remove-DbUser -Force", "PgUsers.InvalidUser", "telegram_id", shown);
        AssertRefused($"[pscustomobject]@{{ TelegramId = 1; ReferrerId = {value} }} | Set-DbUser", "PgUsers.InvalidUser", "referrer_id", shown);
        // Named parameters convert the same way (PowerShell's own conversion would round '12.6' to 13).
        AssertRefused($"Add-DbUser -TelegramId ({value}) -FullName X -LanguageCode en", "ParameterArgumentTransformationError", "telegram_id");
        AssertRefused($"Remove-DbUser -TelegramId ({value}) -Force", "ParameterArgumentTransformationError", "telegram_id");
    }

    [Fact]
    public void In_a_session_a_refused_first_record_leaves_the_unit_of_work_usable_but_a_refusal_after_rows_were_sent_dooms_it()
    {
        var result = Shell.Invoke("""
            $s = New-DbSession
            Add-DbUser 10 'Ten' -LanguageCode en -Session $s
            try { [pscustomobject]@{ telegram_id = 'x'; full_name = 'X'; language_code = 'en' } | Add-DbUser -Session $s } catch { }
            $first = $s.FailedBecause
            $s.Commit(); $s.Dispose()
            $t = New-DbSession
            try { @{ telegram_id = 11; full_name = 'Eleven'; language_code = 'en' }, @{ telegram_id = 'y' } | Add-DbUser -Session $t } catch { }
            $second = $t.FailedBecause
            $t.Dispose()
            "first=$first"; "second=$([bool]$second)"
            Invoke-DbQuery 'SELECT telegram_id FROM users WHERE telegram_id >= 10 ORDER BY 1' | ForEach-Object telegram_id
            """);
        Assert.Null(result.Error);
        // Nothing of the refused load reached the server, so the session's own work commits.
        Assert.Equal(new object?[] { "first=", "second=True", 10L }, result.Output.Select(o => o?.BaseObject).ToArray());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_cell_that_does_not_convert_is_an_error_never_a_silent_null()
    {
        AssertRefused("[pscustomobject]@{ telegram_id = 2; referrer_id = 'abc' } | Set-DbUser", "PgUsers.InvalidUser", "referrer_id", "'abc'");
        AssertRefused("[pscustomobject]@{ telegram_id = 2; created_at = 'garbage' } | Set-DbUser", "PgUsers.InvalidUser", "created_at", "'garbage'");
        AssertRefused("[pscustomobject]@{ telegram_id = 3; full_name = 'T'; language_code = 'en'; referrer_id = 'x' } | Add-DbUser", "PgUsers.InvalidUser", "referrer_id", "'x'");
        AssertRefused("[pscustomobject]@{ telegram_id = 3; full_name = 'T'; language_code = 'en'; created_at = 'garbage' } | Add-DbUser", "PgUsers.InvalidUser", "created_at");
        AssertRefused("[pscustomobject]@{ telegram_id = 'abc'; full_name = 'T'; language_code = 'en' } | Add-DbUser", "PgUsers.InvalidUser", "telegram_id", "'abc'");
        AssertRefused("'2.5' | Remove-DbUser", "PgUsers.InvalidUser", "'2.5'");
        Assert.Equal(2L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users")));
    }

    [Fact]
    public void A_url_given_as_an_id_is_refused_without_showing_its_password()
    {
        foreach (var script in new[]
        {
            "Get-DbUser -TelegramId 'postgresql://app:S3cretPw@host/db'",
            "Remove-DbUser -TelegramId 'postgresql://app:S3cretPw@host/db' -Force",
            "[pscustomobject]@{ telegram_id = 'postgresql://app:S3cretPw@host/db'; full_name = 'X'; language_code = 'en' } | Add-DbUser",
        })
        {
            var result = Shell.Invoke(script);
            Assert.NotNull(result.Error);
            // What the error says; its target may be the user's own input object, which is theirs to show.
            Assert.All(result.Errors, e => Assert.DoesNotContain("S3cretPw", e + "\n" + e.Exception + "\n" + e.ErrorDetails?.Message));
        }
    }

    [Fact]
    public void Lengths_count_code_points_as_PostgreSQL_does()
    {
        Shell.Run("Add-DbUser 10 ([string]::Concat(@([char]::ConvertFromUtf32(0x1F600)) * 200)) -LanguageCode en");
        Assert.Equal(200, Convert.ToInt32(SqlScalar("SELECT char_length(full_name) FROM users WHERE telegram_id = 10")));
        AssertRefused("[pscustomobject]@{ telegram_id = 11; full_name = [string]::Concat(@([char]::ConvertFromUtf32(0x1F600)) * 256); language_code = 'en' } | Add-DbUser",
            "PgUsers.InvalidUser", "full_name", "256 characters", "at most 255");
    }

    [Fact]
    public void Every_form_of_input_binds_and_unknown_properties_are_ignored()
    {
        Shell.Run("""
            @{ telegram_id = 20; full_name = 'Hash'; language_code = 'en'; colour = 'blue' } | Add-DbUser
            [pscustomobject]@{ TelegramId = 21; FullName = 'Pascal'; LanguageCode = 'de'; ReferrerId = 20; Extra = 1 } | Add-DbUser
            [pscustomobject]@{ ID = '22'; FULL_NAME = 'Shout'; Language_Code = 'fr'; REFERRERID = '21' } | Add-DbUser
            """);
        var users = Shell.Run("Get-DbUser 20, 21, 22");
        Assert.Equal(new object?[] { "Hash", "Pascal", "Shout" }, users.Select(u => u.Prop("FullName")).ToArray());
        Assert.Equal(new object?[] { null, 20L, 21L }, users.Select(u => u.Prop("ReferrerId")).ToArray());
        // PgUsers.User objects bind directly (a copy to another table, here back after a removal).
        Shell.Run("$saved = Get-DbUser 22; Remove-DbUser 22; $saved | Add-DbUser");
        Assert.Equal("Shout", Shell.Values("(Get-DbUser 22).FullName").Single());
    }

    [Fact]
    public void A_column_the_input_does_not_carry_gets_the_default_and_null_means_NULL()
    {
        Shell.Run("""
            [pscustomobject]@{ telegram_id = 30; full_name = 'No time'; language_code = 'en' } | Add-DbUser
            [pscustomobject]@{ telegram_id = 31; full_name = 'Null time'; language_code = 'en'; created_at = $null; username = '' } | Add-DbUser
            # An `if` that yields nothing gives AutomationNull: NULL too.
            [pscustomobject]@{ telegram_id = 32; full_name = 'Nothing'; language_code = 'en'; referrer_id = if ($false) { 1 } } | Add-DbUser
            """);
        Assert.Equal(true, SqlScalar("SELECT created_at > localtimestamp - interval '1 hour' FROM users WHERE telegram_id = 30"));
        Assert.Equal(true, SqlScalar("SELECT created_at IS NULL AND username IS NULL FROM users WHERE telegram_id = 31"));
        Assert.Equal(true, SqlScalar("SELECT referrer_id IS NULL FROM users WHERE telegram_id = 32"));
    }

    [Fact]
    public void Set_changes_only_the_columns_the_input_carries()
    {
        Shell.Run("Invoke-DbQuery \"UPDATE users SET created_at = '2024-05-06 07:08:09' WHERE telegram_id = 2\"");
        Shell.Run("[pscustomobject]@{ telegram_id = 2; full_name = 'Renamed' } | Set-DbUser");
        var row = Sql("SELECT full_name, username, language_code, created_at, referrer_id FROM users WHERE telegram_id = 2").Single();
        Assert.Equal(new object?[] { "Renamed", "two", "en", new DateTime(2024, 5, 6, 7, 8, 9), 1L }, row);

        // A stored user piped with a named value gives only its id: a change made meanwhile to another column stays.
        Shell.Run("$read = Get-DbUser 2");
        Shell.Run("Invoke-DbQuery \"UPDATE users SET full_name = 'Changed meanwhile' WHERE telegram_id = 2\"");
        Shell.Run("$read | Set-DbUser -LanguageCode uk");
        Assert.Equal(new object?[] { "Changed meanwhile", "uk" }, Sql("SELECT full_name, language_code FROM users WHERE telegram_id = 2").Single());

        // $null empties a nullable column; emptying a NOT NULL one is refused.
        Shell.Run("[pscustomobject]@{ telegram_id = 2; username = $null } | Set-DbUser");
        Assert.Null(SqlScalar("SELECT username FROM users WHERE telegram_id = 2"));
        AssertRefused("[pscustomobject]@{ telegram_id = 2; full_name = '' } | Set-DbUser", "PgUsers.InvalidUser", "full_name", "NOT NULL");
    }

    [Fact]
    public void Upsert_keeps_the_columns_a_record_does_not_give()
    {
        Shell.Run("[pscustomobject]@{ telegram_id = 2; full_name = 'Upserted'; language_code = 'pt' }, [pscustomobject]@{ telegram_id = 40; full_name = 'New'; language_code = 'en' } | Add-DbUser -OnConflict Update");
        Assert.Equal(new object?[] { "Upserted", "two", "pt", 1L }, Sql("SELECT full_name, username, language_code, referrer_id FROM users WHERE telegram_id = 2").Single());
        Assert.Equal("New", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 40"));
    }

    [Fact]
    public void A_referrer_that_does_not_exist_names_the_record()
    {
        AssertRefused("[pscustomobject]@{ telegram_id = 50; full_name = 'A'; language_code = 'en' }, [pscustomobject]@{ telegram_id = 51; full_name = 'B'; language_code = 'en'; referrer_id = 999 } | Add-DbUser",
            "PgUsers.ReferrerNotFound", "Input record 2", "referrer_id 999");
    }

    [Fact]
    public void SkipInvalid_leaves_out_ids_already_there_and_referrers_found_nowhere_one_error_each()
    {
        var result = Shell.Invoke("""
            @(
                @{ telegram_id = 70; full_name = 'Fine'; language_code = 'en'; referrer_id = 1 }
                @{ telegram_id = 2; full_name = 'Taken'; language_code = 'en' }
                @{ telegram_id = 71; full_name = 'Lost'; language_code = 'en'; referrer_id = 999 }
                @{ telegram_id = 72; full_name = 'Referred by the lost one'; language_code = 'en'; referrer_id = 71 }
                @{ telegram_id = 73; full_name = 'Fine too'; language_code = 'en'; referrer_id = 70 }
            ) | Add-DbUser -SkipInvalid
            """);
        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "PgUsers.DuplicateUser", "PgUsers.ReferrerNotFound", "PgUsers.ReferrerNotFound" },
            result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
        Assert.Contains("Input record 2", result.Errors[0].Exception.Message);
        Assert.Contains("Input record 4", result.Errors[2].Exception.Message);
        Assert.Equal(new object?[] { 70L, 73L }, Sql("SELECT telegram_id FROM users WHERE telegram_id >= 70 ORDER BY 1").Select(r => r[0]).ToArray());
        Assert.Equal("Two", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 2"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_bad_cell_at_record_50001_of_100000_lands_nothing_and_SkipInvalid_loads_the_rest()
    {
        // Every user's referrer is the last user, which comes later; record 50001's referrer is 'x'.
        var text = new StringBuilder("telegram_id,full_name,language_code,referrer_id\n");
        for (int i = 1; i <= 100_000; i++)
        {
            text.Append(1000 + i).Append(",User ").Append(i).Append(",en,").Append(i == 50_001 ? "x" : i < 100_000 ? "101000" : "").Append('\n');
        }
        string path = Path.Combine(Path.GetTempPath(), $"pgusers-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text.ToString());
        try
        {
            AssertRefused($"Import-Csv '{path}' | Add-DbUser", "PgUsers.InvalidUser", "Input record 50001", "referrer_id", "'x'");

            var skipped = Shell.Invoke($"Import-Csv '{path}' | Add-DbUser -SkipInvalid");
            Assert.Null(skipped.Terminating);
            var error = Assert.Single(skipped.Errors);
            Assert.Equal("PgUsers.InvalidUser,PgUsers.Commands.AddDbUserCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Input record 50001", error.Exception.Message);
            Assert.Equal(99_999L + 2, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users")));
            AssertNothingCheckedOut();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_Csv_then_Import_Csv_into_Add_DbUser_gives_back_identical_rows()
    {
        Shell.Run("""
            Add-DbUser 60 'Quote "and", comma' -LanguageCode en -Username q -CreatedAt '2025-01-02 03:04:05' -ReferrerId 2
            Add-DbUser 61 'No extras' -LanguageCode ru -CreatedAt ''
            """);
        const string Rows = "SELECT string_agg(u::text, '|' ORDER BY telegram_id) FROM users u";
        string before = (string)SqlScalar(Rows)!;
        string path = Path.Combine(Path.GetTempPath(), $"pgusers-{Guid.NewGuid():N}.csv");
        try
        {
            // created_at of users 1 and 2 is NOW() with microseconds, which Export-Csv's text cannot carry.
            Shell.Run("Invoke-DbQuery \"UPDATE users SET created_at = date_trunc('second', created_at)\"");
            before = (string)SqlScalar(Rows)!;
            Shell.Run($"Get-DbUser | Export-Csv '{path}'; Invoke-DbQuery 'DELETE FROM users'; Import-Csv '{path}' | Add-DbUser");
            Assert.Equal(before, SqlScalar(Rows));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
