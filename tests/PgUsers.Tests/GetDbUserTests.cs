using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Get-DbUser: typed users, every filter, paging, not-found errors, the table view.</summary>
public sealed class GetDbUserTests : DbTest
{
    public GetDbUserTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Invoke-DbQuery @'
            INSERT INTO users (telegram_id, full_name, username, language_code, created_at, referrer_id) VALUES
              (1, 'John Doe',   'johndoe', 'en', '2024-01-01', NULL),
              (2, 'Jane Doe',   'janedoe', 'en', '2024-02-01', 1),
              (3, 'Ivan Petrov','ivan.p',  'ru', '2024-03-01', 1),
              (4, 'Olga',       NULL,      'RU', '2024-04-01', 3),
              (5, 'Anna 100%',  'anna_x',  'uk', '2024-05-01', 4),
              (6, 'Annaxbel',   'annaybel','uk', '2024-06-01', NULL)
            '@
            """);
    }

    private long[] Ids(string script) => Shell.Run(script).Select(u => (long)u.Prop("TelegramId")!).ToArray();

    [Fact]
    public void All_users_come_as_typed_objects_in_id_order()
    {
        var users = Shell.Run("Get-DbUser");
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, users.Select(u => (long)u.Prop("TelegramId")!));
        Assert.All(users, u => Assert.Equal("PgUsers.User", u.BaseObject.GetType().FullName));
        var olga = users[3];
        Assert.Null(olga.Prop("Username"));
        Assert.Equal("RU", olga.Prop("LanguageCode"));
        Assert.Equal(3L, olga.Prop("ReferrerId"));
        Assert.Equal(new DateTime(2024, 4, 1), olga.Prop("CreatedAt"));
        Assert.Null(users[0].Prop("ReferrerId"));
    }

    [Fact]
    public void By_id_including_pipeline_by_property_name_and_csv_style_names()
    {
        Assert.Equal(new long[] { 2, 3 }, Ids("Get-DbUser -TelegramId 3, 2"));
        Assert.Equal(new long[] { 5 }, Ids("Get-DbUser 5"));
        Assert.Equal(new long[] { 1, 4 }, Ids("[pscustomobject]@{ TelegramId = 1 }, [pscustomobject]@{ TelegramId = 4 } | Get-DbUser"));
        Assert.Equal(new long[] { 6 }, Ids("'telegram_id','6' | ConvertFrom-Csv | Get-DbUser"));
    }

    [Fact]
    public void A_missing_id_is_a_non_terminating_not_found_error()
    {
        var result = Shell.Invoke("Get-DbUser -TelegramId 1, 999, 2");
        Assert.Equal(new long[] { 1, 2 }, result.Output.Select(u => (long)u.Prop("TelegramId")!));
        var error = Assert.Single(result.Errors);
        Assert.Equal("PgUsers.UserNotFound,PgUsers.Commands.GetDbUserCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(999L, error.TargetObject);
        Assert.Empty(Shell.Run("Get-DbUser 999 -ErrorAction SilentlyContinue"));
        Assert.Equal("caught", Shell.Values("try { Get-DbUser 999 -ErrorAction Stop } catch { 'caught' }").Single());
    }

    [Fact]
    public void Username_and_FullName_take_case_insensitive_wildcards()
    {
        Assert.Equal(new long[] { 1, 2 }, Ids("Get-DbUser -Username '*DOE'"));
        Assert.Equal(new long[] { 1, 2 }, Ids("Get-DbUser -FullName '*doe'"));
        Assert.Equal(new long[] { 3 }, Ids("Get-DbUser -Username 'ivan.?'"));
        Assert.Equal(new long[] { 5, 6 }, Ids("Get-DbUser -FullName 'ann[a]*'"));
        Assert.Equal(new long[] { 1 }, Ids("Get-DbUser -Username 'j[o]hn*'"));
    }

    [Fact]
    public void Wildcard_patterns_treat_sql_and_regex_characters_literally()
    {
        Assert.Empty(Shell.Run("Get-DbUser -Username 'ivan_p'"));
        Assert.Empty(Shell.Run("Get-DbUser -Username 'ivanxp'"));
        Assert.Equal(new long[] { 3 }, Ids("Get-DbUser -Username 'ivan.p'"));
        Assert.Equal(new long[] { 5 }, Ids("Get-DbUser -FullName 'Anna 100%'"));
        Assert.Empty(Shell.Run("Get-DbUser -FullName 'Anna 1%'"));
        Assert.Equal(new long[] { 5 }, Ids("Get-DbUser -Username 'anna`_x'"));
        Assert.Empty(Shell.Run("Get-DbUser -Username \"'; DROP TABLE users; --\""));
        Assert.Equal(6L, SqlScalar("SELECT count(*) FROM users"));
    }

    [Fact]
    public void LanguageCode_ReferrerId_and_creation_time_filter()
    {
        Assert.Equal(new long[] { 3, 4 }, Ids("Get-DbUser -LanguageCode ru"));
        Assert.Contains(Shell.Invoke("Get-DbUser -LanguageCode ru -Verbose").Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^2 users in [0-9.]+ ms\.$"));
        Assert.Equal(new long[] { 3, 4, 5, 6 }, Ids("Get-DbUser -LanguageCode ru, UK"));
        Assert.Equal(new long[] { 2, 3 }, Ids("Get-DbUser -ReferrerId 1"));
        Assert.Equal(new long[] { 4, 5, 6 }, Ids("Get-DbUser -CreatedAfter '2024-03-15'"));
        Assert.Equal(new long[] { 1, 2 }, Ids("Get-DbUser -CreatedBefore '2024-02-15'"));
        Assert.Equal(new long[] { 3 }, Ids("Get-DbUser -CreatedAfter '2024-02-15' -CreatedBefore '2024-03-15'"));
        Assert.Equal(new long[] { 3 }, Ids("Get-DbUser -ReferrerId 1 -LanguageCode ru"));
    }

    [Fact]
    public void Recurse_walks_the_referral_tree_with_depth()
    {
        var tree = Shell.Run("Get-DbUser -ReferrerId 1 -Recurse");
        Assert.Equal(new long[] { 2, 3, 4, 5 }, tree.Select(u => (long)u.Prop("TelegramId")!));
        Assert.Equal(new object?[] { 1, 1, 2, 3 }, tree.Select(u => u.Prop("Depth")));
        Assert.All(tree, u => Assert.Equal("PgUsers.User", u.BaseObject.GetType().FullName));
        var text = Shell.Run("Get-DbUser -ReferrerId 1 -Recurse | Out-String -Width 200")[0].ToString()!;
        Assert.Matches(@"Depth\s+TelegramId\s+FullName", text);
        Assert.Matches(@"3\s+5\s+Anna 100%", text);
        var error = Shell.Invoke("Get-DbUser -Recurse").Error;
        Assert.Equal("PgUsers.RecurseNeedsReferrer,PgUsers.Commands.GetDbUserCommand", error?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Paging_with_First_Skip_and_IncludeTotalCount()
    {
        Assert.Equal(new long[] { 3, 4 }, Ids("Get-DbUser -Skip 2 -First 2"));
        var output = Shell.Run("Get-DbUser -First 1 -IncludeTotalCount");
        Assert.Equal(2, output.Count);
        Assert.Equal(6UL, output[0].BaseObject);
    }

    [Fact]
    public void Initialize_DbUserTable_is_idempotent_and_indexes_referrer_id()
    {
        Shell.Run("Initialize-DbUserTable; Initialize-DbUserTable");
        Assert.Equal(6L, SqlScalar("SELECT count(*) FROM users"));
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'users' AND indexdef LIKE '%(referrer_id)%'"));
        Assert.Empty(Shell.Run("Initialize-DbUserTable -WhatIf"));
    }
}
