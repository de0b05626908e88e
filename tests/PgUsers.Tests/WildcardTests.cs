using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>PowerShell wildcards in Get-DbUser on a server (the translator itself: tests/PgUsers.UnitTests/WildcardSqlTests.cs).</summary>
public sealed class WildcardTests : DbTest
{
    public WildcardTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Invoke-DbQuery @'
            INSERT INTO users (telegram_id, full_name, username, language_code) VALUES
              (1, 'John Doe', 'johndoe', 'en'), (2, 'Jane Doe', 'janedoe', 'en'), (3, 'Bob [admin]', 'bob^x', 'en'),
              (4, 'Back\slash', 'a-b', 'en'), (5, 'Star*', 'c]d', 'en')
            '@
            """);
    }

    private long[] Ids(string script) => Shell.Run(script).Select(u => (long)u.Prop("TelegramId")!).ToArray();

    [Fact]
    public void Get_DbUser_matches_sets_ranges_and_escapes_as_like_does()
    {
        Assert.Equal(new long[] { 1, 2 }, Ids("Get-DbUser -Username '[jk]*doe'"));
        Assert.Equal(new long[] { 2 }, Ids("Get-DbUser -Username 'J[a-c]nedoe'"));
        Assert.Equal(new long[] { 3 }, Ids("Get-DbUser -FullName '*`[admin`]'"));
        Assert.Equal(new long[] { 3 }, Ids("Get-DbUser -Username 'bob[\\^]x'"));
        Assert.Equal(new long[] { 4 }, Ids("Get-DbUser -Username 'a[-]b'"));
        Assert.Equal(new long[] { 4 }, Ids("Get-DbUser -FullName 'back\\slash'"));
        Assert.Equal(new long[] { 5 }, Ids("Get-DbUser -FullName 'star`*'"));
        Assert.Equal(new long[] { 5 }, Ids("Get-DbUser -Username 'c]d'"));
        // The same answers as PowerShell's own -like on the same names.
        Assert.Equal(Ids("Get-DbUser | Where-Object Username -like '[a-c]*'"), Ids("Get-DbUser -Username '[a-c]*'"));
    }

    [Theory]
    [InlineData("-Username '[]'")]
    [InlineData("-FullName 'x[a'")]
    public void A_bad_pattern_is_a_clear_error_before_the_server_sees_it(string arguments)
    {
        var result = Shell.Invoke("Get-DbUser " + arguments);
        Assert.Equal("ParameterArgumentValidationError,PgUsers.Commands.GetDbUserCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("wildcard pattern", result.Error!.Exception.Message);
        Assert.DoesNotContain("2201B", result.Error.ToString());
    }
}
