using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Add-DbUser, Set-DbUser, Remove-DbUser and the referral tree, through the pipeline as a user drives them.</summary>
public sealed class UserChangeTests : DbTest
{
    private const string Csv = """
        telegram_id,full_name,username,language_code,created_at,referrer_id
        1,John Doe,johndoe,en,,
        3,Ann Lee,,ru,,2
        2,Jane Doe,janedoe,ru,2024-01-02 03:04:05,1
        """;

    public UserChangeTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            """);
        Shell.Set("csv", Csv);
    }

    private long Count(string where = "true") => Convert.ToInt64(SqlScalar($"SELECT count(*) FROM users WHERE {where}"));

    [Fact]
    public void Csv_rows_bind_by_column_name_and_a_later_referrer_is_fine()
    {
        var stored = Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser -PassThru");
        Assert.Equal(new object?[] { 1L, 3L, 2L }, stored.Select(u => u.Prop("TelegramId")).ToArray());
        // An empty cell is NULL, as in every nullable column; a missing column gets the default (below).
        Assert.Null(stored[0].Prop("CreatedAt"));
        Assert.Null(stored[1].Prop("Username"));
        Assert.Null(stored[0].Prop("ReferrerId"));
        Assert.Equal(2L, stored[1].Prop("ReferrerId"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), stored[2].Prop("CreatedAt"));
        Assert.Equal(3L, Count());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Typed_users_and_hashtables_round_trip()
    {
        Shell.Run("""
            Add-DbUser -TelegramId 10 -FullName 'Ten' -LanguageCode en
            [pscustomobject]@{ TelegramId = 11; FullName = 'Eleven'; LanguageCode = 'de'; ReferrerId = 10 } | Add-DbUser
            """);
        // Export then import, as a user copies users from one table to another.
        var csv = Shell.Run("Get-DbUser | ConvertTo-Csv | Out-String")[0].ToString();
        Shell.Run("Invoke-DbQuery 'DELETE FROM users'");
        Shell.Set("exported", csv);
        Shell.Run("$exported | ConvertFrom-Csv | Add-DbUser");
        Assert.Equal(1L, Count("telegram_id = 11 AND referrer_id = 10 AND language_code = 'de'"));
    }

    [Fact]
    public void A_duplicate_id_in_the_input_names_the_id_and_leaves_the_table_as_before()
    {
        Shell.Run("Add-DbUser 1 'Existing' -LanguageCode en");
        var result = Shell.Invoke("""
            1..5 | ForEach-Object { [pscustomobject]@{ telegram_id = 100 + $_; full_name = "U$_"; language_code = 'en' } } | Add-DbUser
            @(@{ telegram_id = 7; full_name = 'A'; language_code = 'en' }, @{ telegram_id = 7; full_name = 'B'; language_code = 'en' }) |
                ForEach-Object { [pscustomobject]$_ } | Add-DbUser
            """);
        Assert.Equal("PgUsers.DuplicateUser,PgUsers.Commands.AddDbUserCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains("telegram_id 7", result.Error.Exception.Message);
        Assert.Equal(7L, result.Error.TargetObject);
        Assert.Equal(6L, Count());

        var existing = Shell.Invoke("$csv | ConvertFrom-Csv | Add-DbUser");
        Assert.Equal("PgUsers.DuplicateUser,PgUsers.Commands.AddDbUserCommand", existing.Error!.FullyQualifiedErrorId);
        Assert.Contains("telegram_id 1 already exists", existing.Error.Exception.Message);
        Assert.Equal(6L, Count());
        Assert.Equal(0L, Count("telegram_id IN (2, 3)"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_UTC_creation_time_loads_as_local_wall_clock_time()
    {
        var stored = Shell.Run("$t = [datetime]::new(2024, 6, 1, 12, 0, 0, [System.DateTimeKind]::Utc); Add-DbUser 90 'Utc User' -LanguageCode en -CreatedAt $t -PassThru; $t.ToLocalTime()");
        Assert.Equal(Pwsh.Unwrap(stored[1]), stored[0].Prop("CreatedAt"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void OnConflict_Skip_keeps_stored_users_and_Update_overwrites_them()
    {
        Shell.Run("Add-DbUser 1 'Old Name' -LanguageCode fr -CreatedAt '2020-01-01'");
        var skip = Shell.Invoke("$csv | ConvertFrom-Csv | Add-DbUser -OnConflict Skip -Verbose");
        Assert.Empty(skip.Errors);
        Assert.Contains(skip.Verbose, v => v.Contains("Added 2 users") && v.Contains("1 already there"));
        Assert.Equal("Old Name", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 1"));

        var update = Shell.Run("""
            @([pscustomobject]@{ telegram_id = 1; full_name = 'First'; language_code = 'en' },
              [pscustomobject]@{ telegram_id = 1; full_name = 'New Name'; language_code = 'en' },
              [pscustomobject]@{ telegram_id = 4; full_name = 'Four'; language_code = 'en'; referrer_id = 1 }) | Add-DbUser -OnConflict Update -PassThru
            """);
        Assert.Equal(new object?[] { "New Name", "Four" }, update.Select(u => u.Prop("FullName")).ToArray());
        // The upsert kept created_at where the input gave none.
        Assert.Equal(new DateTime(2020, 1, 1), SqlScalar("SELECT created_at FROM users WHERE telegram_id = 1"));
        Assert.Equal("en", SqlScalar("SELECT language_code FROM users WHERE telegram_id = 1"));
        Assert.Equal(4L, Count());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Missing_NOT_NULL_values_fail_the_load_unless_SkipInvalid_skips_each_with_an_error()
    {
        const string Load = """
            @"
            telegram_id,full_name,language_code
            1,One,en
            2,,en
            3,Three,
            4,Four,ru
            "@ | ConvertFrom-Csv | Add-DbUser
            """;
        var failed = Shell.Invoke(Load);
        Assert.Equal("PgUsers.InvalidUser,PgUsers.Commands.AddDbUserCommand", failed.Error?.FullyQualifiedErrorId);
        Assert.Contains("Input record 2", failed.Error!.Exception.Message);
        Assert.Contains("full_name", failed.Error.Exception.Message);
        Assert.Equal(0L, Count());

        var result = Shell.Invoke(Load + " -SkipInvalid");
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("PgUsers.InvalidUser,PgUsers.Commands.AddDbUserCommand", e.FullyQualifiedErrorId));
        Assert.Contains("full_name", result.Errors[0].Exception.Message);
        Assert.Contains("language_code", result.Errors[1].Exception.Message);
        Assert.Equal(new object?[] { 2L, 3L }, result.Errors.Select(e => e.TargetObject).ToArray());
        Assert.Equal(2L, Count());

        var stop = Shell.Invoke("[pscustomobject]@{ telegram_id = 5; full_name = 'Five'; language_code = 'en' }, [pscustomobject]@{ telegram_id = 6; language_code = 'en' } | Add-DbUser -SkipInvalid -ErrorAction Stop");
        Assert.NotNull(stop.Terminating);
        Assert.Equal(2L, Count());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void WhatIf_changes_nothing()
    {
        Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser -WhatIf");
        Assert.Equal(0L, Count());
        // The preference variables count as much as the switch.
        Shell.Run("$WhatIfPreference = $true; $csv | ConvertFrom-Csv | Add-DbUser; $WhatIfPreference = $false");
        Assert.Equal(0L, Count());
        Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser; Get-DbUser | Set-DbUser -FullName x -WhatIf; Get-DbUser | Remove-DbUser -WhatIf");
        Assert.Equal(0L, Count("full_name = 'x'"));
        Assert.Equal(3L, Count());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Get_piped_into_Set_changes_only_the_matching_users()
    {
        Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser");
        var changed = Shell.Run("Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode uk -PassThru");
        Assert.Equal(new object?[] { 2L, 3L }, changed.Select(u => u.Prop("TelegramId")).OrderBy(x => x).ToArray());
        Assert.Equal(2L, Count("language_code = 'uk'"));
        Assert.Equal(1L, Count("language_code = 'en'"));
        Assert.Equal("John Doe", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 1"));

        var csvSet = Shell.Invoke("""
            @"
            telegram_id,username
            1,
            99,ghost
            "@ | ConvertFrom-Csv | Set-DbUser
            """);
        Assert.Null(SqlScalar("SELECT username FROM users WHERE telegram_id = 1"));
        Assert.Equal("PgUsers.UserNotFound,PgUsers.Commands.SetDbUserCommand", csvSet.Errors.Single().FullyQualifiedErrorId);
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Inside_a_session_a_command_waits_for_the_upstream_read_on_the_same_connection()
    {
        Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser");
        var changed = Shell.Run("Use-DbSession { Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode uk -PassThru }");
        Assert.Equal(2, changed.Count);
        Assert.Equal(2L, Count("language_code = 'uk'"));
        Shell.Run("""
            Use-DbSession {
                Invoke-DbQuery "SELECT g AS telegram_id, 'U' || g AS full_name, 'en' AS language_code FROM generate_series(100, 12099) g" | Add-DbUser
                Get-DbUser -LanguageCode uk | Remove-DbUser -Force
            }
            """);
        Assert.Equal(12001L, Count());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Remove_keeps_referred_users_with_no_referrer_and_reports_the_count()
    {
        Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser");
        var result = Shell.Invoke("Remove-DbUser 1 -Verbose");
        Assert.Empty(result.Errors);
        Assert.Contains(result.Verbose, v => v.Contains("Removed 1 users; 1 users they referred stay"));
        Assert.Equal(2L, Count());
        Assert.Null(SqlScalar("SELECT referrer_id FROM users WHERE telegram_id = 2"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Removing_several_users_needs_confirmation_or_Force()
    {
        Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser");
        var whatIf = Shell.Invoke("Get-DbUser -ReferrerId 1 -Recurse | Remove-DbUser -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.Equal(3L, Count());

        var unattended = Shell.Invoke("Get-DbUser | Remove-DbUser");
        Assert.Equal("PgUsers.ConfirmationRequired,PgUsers.Commands.RemoveDbUserCommand", unattended.Error!.FullyQualifiedErrorId);
        Assert.Equal(3L, Count());

        var removed = Shell.Run("Get-DbUser -ReferrerId 1 -Recurse | Remove-DbUser -Force -PassThru");
        Assert.Equal(new object?[] { 2L, 3L }, removed.Select(u => u.Prop("TelegramId")).OrderBy(x => x).ToArray());
        Shell.Run("Remove-DbUser -TelegramId 1");
        Assert.Equal(0L, Count());
        var missing = Shell.Invoke("Remove-DbUser 42");
        Assert.Equal("PgUsers.UserNotFound,PgUsers.Commands.RemoveDbUserCommand", missing.Errors.Single().FullyQualifiedErrorId);

        // Unattended scripts that set $ConfirmPreference = 'None' are not asked either.
        Shell.Run("$csv | ConvertFrom-Csv | Add-DbUser; & { $ConfirmPreference = 'None'; Get-DbUser | Remove-DbUser }");
        Assert.Equal(0L, Count());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Recurse_walks_the_whole_referral_tree_with_depth_and_survives_a_cycle()
    {
        Shell.Run("""
            @"
            telegram_id,full_name,language_code,referrer_id
            1,Root,en,
            2,A,en,1
            3,B,en,1
            4,A1,en,2
            5,A1a,en,4
            6,Other,en,
            "@ | ConvertFrom-Csv | Add-DbUser
            """);
        var tree = Shell.Run("Get-DbUser -ReferrerId 1 -Recurse");
        Assert.Equal(new object?[] { 2L, 3L, 4L, 5L }, tree.Select(u => u.Prop("TelegramId")).ToArray());
        Assert.Equal(new object?[] { 1, 1, 2, 3 }, tree.Select(u => u.Prop("Depth")).ToArray());
        Assert.Equal(2, Shell.Run("Get-DbUser -ReferrerId 1").Count);

        // 1 -> 2 -> 4 -> 5 -> 1: a cycle stops where it comes back.
        Shell.Run("Set-DbUser 1 -ReferrerId 5");
        var cycle = Shell.Run("Get-DbUser -ReferrerId 1 -Recurse");
        Assert.Equal(new object?[] { 2L, 3L, 4L, 5L }, cycle.Select(u => u.Prop("TelegramId")).ToArray());
        var fromFour = Shell.Run("Get-DbUser -ReferrerId 4 -Recurse");
        Assert.Equal(new object?[] { 5L, 1L, 2L, 3L }, fromFour.Select(u => u.Prop("TelegramId")).ToArray());
        Assert.Equal(new object?[] { 1, 2, 3, 3 }, fromFour.Select(u => u.Prop("Depth")).ToArray());
        AssertNothingCheckedOut();
    }
}
