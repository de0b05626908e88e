using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Another Npgsql (8.x, which this test assembly itself uses) is loaded in the session's default
/// context first; PgUsers keeps working with its own Npgsql 10 in its private load context.
/// </summary>
public sealed class IsolationTests : DbTest
{
    public IsolationTests(ServerFixture server) : base(server)
    {
    }

    [Fact]
    public void The_quickstart_works_beside_a_different_Npgsql_in_the_default_context()
    {
        // Load this assembly's Npgsql 8 into the default context before the module touches anything.
        var other = typeof(Npgsql.NpgsqlConnection).Assembly;
        Assert.Equal(8, other.GetName().Version!.Major);
        Assert.Equal(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(other));

        Shell.Run("""
            $engine = New-DbEngine $url
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Invoke-DbQuery "INSERT INTO users (telegram_id, full_name, username, language_code, referrer_id) VALUES (1, 'John Doe', 'johndoe', 'en', NULL), (2, 'Jane Doe', 'janedoe', 'en', 1)"
            """);
        Assert.Equal(2, Shell.Run("Get-DbUser").Count);

        var loaded = Shell.Values("""
            [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Npgsql' } |
                ForEach-Object { '{0}|{1}' -f $_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
            """).Cast<string>().ToHashSet();
        Assert.Contains("8|Default", loaded);
        Assert.Contains("10|PgUsers", loaded);
        var cmdletContext = Shell.Values("[System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([PgUsers.DbEngine].Assembly).Name").Single();
        Assert.Equal("Default", cmdletContext);
    }
}
