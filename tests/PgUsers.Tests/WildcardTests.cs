using System.Reflection;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>PowerShell wildcards as PostgreSQL regular expressions: the pure translator, then Get-DbUser on a server.</summary>
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

    /// <summary>The translator itself (internal; reached by reflection in the module's own assembly).</summary>
    private static string ToRegex(string pattern)
    {
        var type = AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "PgUsers").GetType("PgUsers.Users.WildcardSql", throwOnError: true)!;
        try
        {
            return (string)type.GetMethod("ToRegex", BindingFlags.Static | BindingFlags.Public)!.Invoke(null, new object[] { pattern })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    [Theory]
    [InlineData("john*", "^john.*$")]
    [InlineData("j?hn", "^j.hn$")]
    [InlineData("[jb]*", "^[jb].*$")]
    [InlineData("[a-c]x", "^[a-c]x$")]
    [InlineData("[a-]", @"^[a\-]$")]
    [InlineData("[`]`[]", @"^[\]\[]$")]
    [InlineData(@"[\^]", @"^[\\\^]$")]
    [InlineData("a`*b`?", @"^a\*b\?$")]
    [InlineData("1.5 (x)", @"^1\.5 \(x\)$")]
    [InlineData("a]b", @"^a\]b$")]
    [InlineData("end`", "^end`$")]
    public void The_translator_turns_each_wildcard_form_into_its_regular_expression(string pattern, string regex) =>
        Assert.Equal(regex, ToRegex(pattern));

    [Theory]
    [InlineData("[]")]
    [InlineData("[abc")]
    [InlineData("x[")]
    public void The_translator_refuses_a_pattern_PowerShell_refuses(string pattern)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ToRegex(pattern));
        Assert.Contains($"'{pattern}'", e.Message);
        Assert.Contains("`[", e.Message);
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
