using Npgsql;

namespace PgUsers.Benchmarks;

/// <summary>The raw baselines connect with Npgsql directly: a postgresql:// URL as a connection string.</summary>
internal static class ServerUrl
{
    public static string ToConnectionString(string url)
    {
        // System.Uri parses any scheme with an authority; only the parts a sandbox URL has are needed.
        var uri = new Uri(url);
        string[] credentials = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(credentials[0]),
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (credentials.Length == 2) builder.Password = Uri.UnescapeDataString(credentials[1]);
        return builder.ConnectionString;
    }
}
