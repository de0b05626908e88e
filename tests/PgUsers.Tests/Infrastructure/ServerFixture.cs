using System.Collections.Concurrent;
using Npgsql;

namespace PgUsers.Tests.Infrastructure;

/// <summary>
/// One server per test run: PGUSERS_TEST_URL when set, else a sandbox started through the module
/// itself (Start-DbSandbox). Each test class gets a fresh database.
/// </summary>
public sealed class ServerFixture : IDisposable
{
    private readonly Pwsh? _sandboxShell;
    private readonly ConcurrentDictionary<string, string> _databases = new();

    public ServerFixture()
    {
        string? url = Environment.GetEnvironmentVariable("PGUSERS_TEST_URL");
        if (string.IsNullOrEmpty(url))
        {
            _sandboxShell = new Pwsh();
            var sandbox = _sandboxShell.Run("$global:sandbox = Start-DbSandbox; $sandbox.Url.RenderAsString($false)");
            url = (string)sandbox[0].BaseObject;
        }
        AdminUrl = url;
        AdminConnectionString = ToConnectionString(url);
    }

    /// <summary>The server's URL with its password (the tests' own secret).</summary>
    public string AdminUrl { get; }

    public string AdminConnectionString { get; }

    /// <summary>A fresh database for one test class; returns its URL string.</summary>
    public string DatabaseFor(string name) => _databases.GetOrAdd(name, n =>
    {
        string db = "t_" + new string(n.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        Exec(connection, $"DROP DATABASE IF EXISTS {db} WITH (FORCE)");
        Exec(connection, $"CREATE DATABASE {db}");
        var builder = new UriBuilder(AdminUrl.Replace("postgresql://", "http://")) { Path = "/" + db };
        return builder.Uri.ToString().Replace("http://", "postgresql://");
    });

    /// <summary>Runs SQL directly on the server (Npgsql 8, not the module): the server's own view.</summary>
    public List<object?[]> Query(string database, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            reader.GetValues(values!);
            rows.Add(values.Select(v => v is DBNull ? null : v).ToArray());
        }
        return rows;
    }

    public object? Scalar(string database, string sql) => Query(database, sql).FirstOrDefault()?.FirstOrDefault();

    private static void Exec(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>True when a server takes a connection with this URL now (one attempt, no retry).</summary>
    public static bool Accepts(string url)
    {
        try
        {
            using var connection = new NpgsqlConnection(ToConnectionString(url));
            connection.Open();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    internal static string ToConnectionString(string url)
    {
        var uri = new Uri(url.Replace("postgresql://", "http://").Replace("postgres://", "http://"));
        var userInfo = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            Pooling = false,
        }.ConnectionString;
    }

    public void Dispose()
    {
        _sandboxShell?.Run("Stop-DbSandbox");
        _sandboxShell?.Dispose();
    }
}

[CollectionDefinition("server")]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
}
