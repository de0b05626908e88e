namespace PgUsers.Tests.Infrastructure;

/// <summary>
/// Base of tests that need a server: a fresh database per test class, and a runspace per test
/// with the module imported and <c>$url</c> set to that database's URL string.
/// </summary>
[Collection("server")]
public abstract class DbTest : IDisposable
{
    protected DbTest(ServerFixture server)
    {
        Server = server;
        Url = server.DatabaseFor(GetType().Name);
        UrlParts = new Uri(Url.Replace("postgresql://", "http://"));
        Database = UrlParts.AbsolutePath.Trim('/');
        Shell = new Pwsh();
        Shell.Set("url", Url);
    }

    protected ServerFixture Server { get; }
    protected Pwsh Shell { get; }
    protected string Url { get; }
    protected string Database { get; }

    /// <summary>The class's URL taken apart (host, port, user info), read as an http URL.</summary>
    protected Uri UrlParts { get; }

    /// <summary>Direct SQL against this class's database (Npgsql 8 — the server's own view).</summary>
    protected List<object?[]> Sql(string sql) => Server.Query(Database, sql);

    protected object? SqlScalar(string sql) => Server.Scalar(Database, sql);

    /// <summary>Connections to this class's database with the given application_name.</summary>
    protected int ConnectionsNamed(string applicationName) =>
        Convert.ToInt32(SqlScalar($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{applicationName}'"));

    /// <summary>The client backends on this class's database (but the one asking): pid and last statement, as the server sees them.</summary>
    protected List<(int Pid, string Query)> Backends() => Sql(
            "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
        .Select(r => (Convert.ToInt32(r[0]), (string)r[1]!)).ToList();

    /// <summary>The users table's row count and a digest of every row: equal before and after means nothing changed.</summary>
    protected string UsersFingerprint() => (string)SqlScalar(
        "SELECT count(*) || ':' || coalesce(md5(string_agg(u::text, '|' ORDER BY telegram_id)), '') FROM users u")!;

    /// <summary>The default engine has every connection back in its pool.</summary>
    protected void AssertNothingCheckedOut() => Assert.Equal(0, Shell.Values("(Get-DbEngine -Default).CheckedOut").Single());

    public virtual void Dispose()
    {
        Shell.Run("Get-DbEngine | Remove-DbEngine");
        Shell.Dispose();
        GC.SuppressFinalize(this);
    }
}
