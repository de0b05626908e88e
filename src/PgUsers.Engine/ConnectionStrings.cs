using Npgsql;

namespace PgUsers.Engine;

/// <summary>
/// A DbUrl as an Npgsql connection string: libpq's query options mapped onto Npgsql keywords,
/// empty parts filled from libpq's environment variables and then libpq's defaults (as psql does).
/// </summary>
internal static class ConnectionStrings
{
    private delegate void Apply(NpgsqlConnectionStringBuilder builder, string value);

    private static readonly Dictionary<string, Apply> s_options = new(StringComparer.Ordinal)
    {
        ["sslmode"] = (b, v) => b.SslMode = SslModeOf(v),
        ["application_name"] = (b, v) => b.ApplicationName = v,
        ["connect_timeout"] = (b, v) => b.Timeout = Math.Max(1, IntOf("connect_timeout", v)),
        ["target_session_attrs"] = (b, v) => b.TargetSessionAttributes = v,
        ["options"] = (b, v) => b.Options = v,
        ["sslcert"] = (b, v) => b.SslCertificate = v,
        ["sslkey"] = (b, v) => b.SslKey = v,
        ["sslrootcert"] = (b, v) => b.RootCertificate = v,
        ["sslpassword"] = (b, v) => b.SslPassword = v,
        ["client_encoding"] = (b, v) => b.ClientEncoding = v,
        ["keepalives_idle"] = (b, v) => b.TcpKeepAliveTime = IntOf("keepalives_idle", v),
        ["keepalives_interval"] = (b, v) => b.TcpKeepAliveInterval = IntOf("keepalives_interval", v),
        ["keepalives"] = (b, v) => b.TcpKeepAlive = v != "0",
        ["krbsrvname"] = (b, v) => b.KerberosServiceName = v,
        ["passfile"] = (b, v) => b.Passfile = v,
        ["channel_binding"] = (b, v) => b.ChannelBinding = v switch
        {
            "disable" => ChannelBinding.Disable,
            "prefer" => ChannelBinding.Prefer,
            "require" => ChannelBinding.Require,
            _ => throw Invalid("channel_binding", v, "disable, prefer, require"),
        },
        ["gssencmode"] = (b, v) => b.GssEncryptionMode = v switch
        {
            "disable" => GssEncryptionMode.Disable,
            "prefer" => GssEncryptionMode.Prefer,
            "require" => GssEncryptionMode.Require,
            _ => throw Invalid("gssencmode", v, "disable, prefer, require"),
        },
        ["load_balance_hosts"] = (b, v) => b.LoadBalanceHosts = v switch
        {
            "disable" => false,
            "random" => true,
            _ => throw Invalid("load_balance_hosts", v, "disable, random"),
        },
        // These name the parts libpq lets the query carry; DbUrl folds them into its fields,
        // but a hand-built URL may still hold them.
        ["user"] = (b, v) => b.Username = v,
        ["password"] = (b, v) => b.Password = v,
        ["dbname"] = (b, v) => b.Database = v,
        ["port"] = (b, v) => b.Port = IntOf("port", v),
    };

    /// <summary>The option names the engine understands (for errors and completion).</summary>
    public static IEnumerable<string> KnownOptions => s_options.Keys;

    public static NpgsqlConnectionStringBuilder Build(DbUrl url)
    {
        var b = new NpgsqlConnectionStringBuilder();
        string? host = url.Hosts.Count == 0 ? null : string.Join(",", url.Hosts.Select(HostText));
        b.Host = host ?? Env("PGHOST") ?? DefaultHost();
        b.Port = url.Hosts.FirstOrDefault(h => h.Port is not null)?.Port ?? PortFromEnv() ?? 5432;
        b.Username = url.Username ?? Env("PGUSER") ?? Environment.UserName;
        b.Database = url.Database ?? Env("PGDATABASE") ?? b.Username;
        if ((url.Password ?? Env("PGPASSWORD")) is { } password) b.Password = password;
        if (Env("PGSSLMODE") is { } envSsl) b.SslMode = SslModeOf(envSsl);
        foreach (var (key, value) in url.QueryPairs)
        {
            if (!s_options.TryGetValue(key, out var apply))
            {
                throw new DbConfigurationException(
                    $"The URL option '{key}' has no Npgsql equivalent. Options understood: {string.Join(", ", s_options.Keys.Order())}.", "Query");
            }
            apply(b, value);
        }
        return b;
    }

    // Npgsql reads a port per host as host:port; a bare host takes the Port keyword.
    private static string HostText(DbHost host) =>
        host.Port is int port ? (host.Name.Contains(':') ? "[" + host.Name + "]" : host.Name) + ":" + port : host.Name;

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static int? PortFromEnv() => Env("PGPORT") is { } p ? IntOf("PGPORT", p) : null;

    /// <summary>libpq's default: the Unix socket folder when one exists here, else localhost.</summary>
    private static string DefaultHost()
    {
        foreach (var dir in new[] { "/var/run/postgresql", "/tmp" })
        {
            if (OperatingSystem.IsWindows()) break;
            if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, ".s.PGSQL.*").Any()) return dir;
        }
        return "localhost";
    }

    private static int IntOf(string key, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw Invalid(key, value, "a whole number");

    private static SslMode SslModeOf(string value) => value switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw Invalid("sslmode", value, "disable, allow, prefer, require, verify-ca, verify-full"),
    };

    private static DbConfigurationException Invalid(string key, string value, string expected) =>
        new($"The URL option {key}={value} is not valid: expected {expected}.", "Query");
}
