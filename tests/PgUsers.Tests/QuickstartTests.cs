using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The quickstart of the README, end to end.</summary>
public sealed class QuickstartTests : DbTest
{
    public QuickstartTests(ServerFixture server) : base(server)
    {
    }

    [Fact]
    public void The_notebook_flow_works_step_by_step()
    {
        var rendered = Shell.Values("""
            $u = New-DbUrl -Drivername 'postgresql+psycopg2' -Username notebook -Password notebook -HostName postgres -Port 5432 -Database notebook
            $u.RenderAsString()
            "$u"
            """);
        Assert.Equal(new object?[] { "postgresql+psycopg2://notebook:***@postgres:5432/notebook", "postgresql+psycopg2://notebook:***@postgres:5432/notebook" }, rendered);

        Shell.Run("""
            $engine = New-DbEngine $url -PoolSize 10 -MaxOverflow 20 -PoolRecycle 3600
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Invoke-DbQuery "INSERT INTO users (telegram_id, full_name, username, language_code, referrer_id) VALUES (1, 'John Doe', 'johndoe', 'en', NULL), (2, 'Jane Doe', 'janedoe', 'en', 1);"
            """);
        var rows = Shell.Run("Invoke-DbQuery 'SELECT * FROM users ORDER BY telegram_id'");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new[] { "telegram_id", "full_name", "username", "language_code", "created_at", "referrer_id" },
            rows[0].Properties.Select(p => p.Name).ToArray());
        Assert.Null(rows[0].Properties["referrer_id"].Value);
        Assert.Equal(1L, rows[1].Properties["referrer_id"].Value);

        var users = Shell.Run("Get-DbUser");
        Assert.All(users, u => Assert.Equal("PgUsers.User", u.BaseObject.GetType().FullName));
        Assert.Equal(new object[] { "John Doe", "Jane Doe" }, users.Select(u => u.Prop("FullName")));
        Assert.Equal(1L, users[1].Prop("ReferrerId"));
        Assert.IsType<DateTime>(users[0].Prop("CreatedAt"));
    }

    [Fact]
    public void The_shipped_quickstart_script_runs_against_a_given_server()
    {
        var script = Path.Combine(Path.GetDirectoryName(Paths.Manifest)!, "examples", "Quickstart.ps1");
        Shell.Run("Invoke-DbQuery 'DROP TABLE IF EXISTS users' -Engine (New-DbEngine $url)");
        Environment.SetEnvironmentVariable("PGUSERS_URL", Url);
        try
        {
            var text = Shell.Run($"& '{script}' | Out-String -Width 200")[0].ToString();
            Assert.Contains("postgresql+psycopg2://notebook:***@postgres:5432/notebook", text);
            // The tables go to the host (Out-Default); the rows are checked on the server.
            Assert.Equal(2L, SqlScalar("SELECT count(*) FROM users"));
            Assert.Equal(1L, SqlScalar("SELECT referrer_id FROM users WHERE full_name = 'Jane Doe'"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGUSERS_URL", null);
        }
    }
}
