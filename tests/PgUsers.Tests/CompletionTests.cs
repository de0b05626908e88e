using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Tab completion where a value comes from a known set.</summary>
public sealed class CompletionTests : DbTest
{
    public CompletionTests(ServerFixture server) : base(server)
    {
    }

    private string[] Complete(string input) =>
        Shell.Values($"(TabExpansion2 -inputScript '{input.Replace("'", "''")}' -cursorColumn {input.Length}).CompletionMatches.CompletionText")
            .Cast<string>().ToArray();

    [Fact]
    public void Engine_names_complete()
    {
        Shell.Run("New-DbEngine $url -Name reporting | Out-Null; New-DbEngine $url -Name 'etl jobs' | Out-Null");
        Assert.Equal(new[] { "reporting" }, Complete("Get-DbEngine -Name rep"));
        Assert.Equal(new[] { "'etl jobs'" }, Complete("Remove-DbEngine -Name et"));
    }

    [Fact]
    public void Drivernames_complete()
    {
        Assert.Equal(new[] { "postgresql+psycopg2", "postgresql+psycopg", "postgresql+psycopg2cffi" }, Complete("New-DbUrl -Drivername postgresql+psy"));
        Assert.Contains("postgresql", Complete("New-DbUrl -Drivername p"));
    }

    [Fact]
    public void Language_codes_complete_from_the_users_table()
    {
        Shell.Run("""
            New-DbEngine $url | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Invoke-DbQuery "INSERT INTO users (telegram_id, full_name, language_code) VALUES (1, 'a', 'en'), (2, 'b', 'es'), (3, 'c', 'ru')"
            """);
        Assert.Equal(new[] { "en", "es" }, Complete("Get-DbUser -LanguageCode e"));
        Assert.Equal(0, Shell.Values("(Get-DbEngine -Default).CheckedOut").Single());
    }
}
