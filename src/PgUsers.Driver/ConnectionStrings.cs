using System.Globalization;
using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// A DbUrl as an Npgsql connection string: libpq's query options mapped onto Npgsql keywords,
/// empty parts filled from libpq's environment variables and then libpq's defaults (as psql does).
/// </summary>
internal static class ConnectionStrings
{
    private delegate void Apply(NpgsqlConnectionStringBuilder builder, string value);

    // Options whose value is a secret: never quoted in an error.
    private static readonly HashSet<string> s_secret = new(StringComparer.Ordinal) { "sslpassword" };

    private static readonly Dictionary<string, Apply> s_options = new(StringComparer.Ordinal)
    {
        ["sslmode"] = (b, v) => b.SslMode = OneOf(v, ("disable", SslMode.Disable), ("allow", SslMode.Allow),
            ("prefer", SslMode.Prefer), ("require", SslMode.Require), ("verify-ca", SslMode.VerifyCA), ("verify-full", SslMode.VerifyFull)),
        // libpq's JDBC-compatible spelling.
        ["ssl"] = (b, v) => b.SslMode = OneOf(v, ("true", SslMode.Require)),
        ["sslnegotiation"] = (b, v) => b.SslNegotiation = OneOf(v, ("postgres", SslNegotiation.Postgres), ("direct", SslNegotiation.Direct)),
        ["sslcert"] = (b, v) => b.SslCertificate = v,
        ["sslkey"] = (b, v) => b.SslKey = v,
        ["sslrootcert"] = (b, v) => b.RootCertificate = v,
        ["sslpassword"] = (b, v) => b.SslPassword = v,
        ["application_name"] = (b, v) => b.ApplicationName = v,
        // libpq uses it only when neither application_name nor PGAPPNAME gave one.
        ["fallback_application_name"] = (b, v) => b.ApplicationName ??= v,
        ["connect_timeout"] = (b, v) => b.Timeout = ConnectTimeout(v),
        ["target_session_attrs"] = (b, v) => b.TargetSessionAttributes =
            OneOf(v, new[] { "any", "read-write", "read-only", "primary", "standby", "prefer-standby" }.Select(a => (a, a)).ToArray()),
        ["options"] = (b, v) => b.Options = v,
        ["client_encoding"] = (b, v) => b.ClientEncoding = v,
        ["keepalives"] = (b, v) => b.TcpKeepAlive = OneOf(v, ("1", true), ("0", false)),
        ["keepalives_idle"] = (b, v) => b.TcpKeepAliveTime = Seconds(v),
        ["keepalives_interval"] = (b, v) => b.TcpKeepAliveInterval = Seconds(v),
        ["krbsrvname"] = (b, v) => b.KerberosServiceName = v,
        ["passfile"] = (b, v) => b.Passfile = v,
        ["require_auth"] = (b, v) => b.RequireAuth = RequireAuth(v),
        ["channel_binding"] = (b, v) => b.ChannelBinding = OneOf(v,
            ("disable", ChannelBinding.Disable), ("prefer", ChannelBinding.Prefer), ("require", ChannelBinding.Require)),
        ["gssencmode"] = (b, v) => b.GssEncryptionMode = OneOf(v,
            ("disable", GssEncryptionMode.Disable), ("prefer", GssEncryptionMode.Prefer), ("require", GssEncryptionMode.Require)),
        ["load_balance_hosts"] = (b, v) => b.LoadBalanceHosts = OneOf(v, ("disable", false), ("random", true)),
    };

    // libpq's environment variables for options, applied before the URL's query so the URL wins.
    private static readonly (string Variable, string Option)[] s_environment =
    {
        ("PGSSLMODE", "sslmode"), ("PGSSLNEGOTIATION", "sslnegotiation"), ("PGSSLCERT", "sslcert"), ("PGSSLKEY", "sslkey"),
        ("PGSSLROOTCERT", "sslrootcert"), ("PGAPPNAME", "application_name"), ("PGCONNECT_TIMEOUT", "connect_timeout"),
        ("PGTARGETSESSIONATTRS", "target_session_attrs"), ("PGOPTIONS", "options"), ("PGCLIENTENCODING", "client_encoding"),
        ("PGKRBSRVNAME", "krbsrvname"), ("PGPASSFILE", "passfile"), ("PGREQUIREAUTH", "require_auth"),
        ("PGCHANNELBINDING", "channel_binding"), ("PGGSSENCMODE", "gssencmode"), ("PGLOADBALANCEHOSTS", "load_balance_hosts"),
    };

    /// <summary>The option names the engine understands (for errors and completion).</summary>
    public static IEnumerable<string> KnownOptions => s_options.Keys.Order(StringComparer.Ordinal);

    /// <summary>The connection string for a URL. Throws <see cref="DbConfigurationException"/> naming an option it can't map.</summary>
    /// <remarks>
    /// Precedence is libpq's: what the URL says, then the service it names (service=, else PGSERVICE) from the
    /// service file, then the environment variables, then libpq's defaults.
    /// </remarks>
    public static NpgsqlConnectionStringBuilder Build(DbUrl url)
    {
        if (url.Problem is { } problem) throw problem;
        string? serviceName = null;
        foreach (var (key, value) in url.QueryPairs)
        {
            if (key == ServiceKey)
            {
                serviceName = value;
            }
            else if (!s_options.ContainsKey(key))
            {
                throw new DbConfigurationException(
                    $"The URL option '{key}' has no Npgsql equivalent. Options understood: {string.Join(", ", KnownOptions)}.", "Query");
            }
        }
        var service = Service(serviceName ?? Env("PGSERVICE"));
        // libpq turns TCP keepalives on (with the system's timings) unless keepalives=0; Npgsql leaves them off,
        // so a dead network or a vanished host would go unnoticed for as long as the kernel keeps the socket.
        // PerInstance: an array holding NULLs reads as int?[] (NULL as $null), one without them as int[].
        var b = new NpgsqlConnectionStringBuilder { TcpKeepAlive = true, ArrayNullabilityMode = ArrayNullabilityMode.PerInstance };
        foreach (var (variable, option) in s_environment)
        {
            if (Env(variable) is { } value) Set(b, option, value, "The environment variable " + variable);
        }
        foreach (var (key, value) in service.Options)
        {
            Set(b, key, value, service.Source + " option '" + key + "'");
        }
        foreach (var (key, value) in url.QueryPairs)
        {
            if (key != ServiceKey) Set(b, key, value, $"The URL option '{key}'");
        }
        SetHosts(b, url.Hosts.Count > 0 ? url.Hosts : service.Hosts, service.Port);
        b.Username = url.Username ?? service.Get("user") ?? Env("PGUSER") ?? Environment.UserName;
        b.Database = url.Database ?? service.Get("dbname") ?? Env("PGDATABASE") ?? b.Username;
        // libpq treats an empty password as none given.
        if ((url.Password is { Length: > 0 } password ? password : service.Get("password") ?? Env("PGPASSWORD")) is { } secret) b.Password = secret;
        Check(b, url.Hosts.Count > 0 ? url.Hosts.Count : service.Hosts.Count);
        return b;
    }

    private const string ServiceKey = "service";

    /// <summary>What a service of the service file sets: its hosts and port apart (they fill the URL's empty host part), the rest as options.</summary>
    private sealed record ServiceSettings(string Source, IReadOnlyList<DbHost> Hosts, string? Port, IReadOnlyList<KeyValuePair<string, string>> Options,
        IReadOnlyDictionary<string, string> Fields)
    {
        public string? Get(string key) => Fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
    }

    private static readonly ServiceSettings s_noService = new("", Array.Empty<DbHost>(), null, Array.Empty<KeyValuePair<string, string>>(),
        new Dictionary<string, string>());

    private static ServiceSettings Service(string? name)
    {
        if (string.IsNullOrEmpty(name)) return s_noService;
        var (settings, file) = ServiceFile.Lookup(name, Env);
        string source = $"The service '{name}' (in {file})";
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in settings)
        {
            if (key is "host" or "port" or "user" or "dbname" or "password") fields[key] = value;
            else if (s_options.ContainsKey(key)) options.Add(new(key, value));
            else throw new DbConfigurationException($"{source} sets '{key}', which has no Npgsql equivalent. Options understood: {string.Join(", ", KnownOptions)}.", "Query");
        }
        var hosts = fields.TryGetValue("host", out var hostList) && hostList.Length > 0
            ? hostList.Split(',').Select(h => new DbHost(h.Trim())).ToArray()
            : Array.Empty<DbHost>();
        return new ServiceSettings(source, hosts, fields.TryGetValue("port", out var port) && port.Length > 0 ? port : null, options, fields);
    }

    private static void Set(NpgsqlConnectionStringBuilder b, string option, string value, string source)
    {
        try
        {
            s_options[option](b, value);
        }
        catch (BadValueException e)
        {
            string shown = s_secret.Contains(option) ? "" : $" ('{value}')";
            throw new DbConfigurationException($"{source} has a value{shown} that is not valid: expected {e.Message}.", "Query");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            string shown = s_secret.Contains(option) ? "" : $" ('{value}')";
            string why = s_secret.Contains(option) ? "" : ": " + e.Message;
            throw new DbConfigurationException($"{source} has a value{shown} that Npgsql does not accept{why}", "Query");
        }
    }

    /// <summary>
    /// One host: Host and Port. Several: Npgsql's Host=h1:5432,h2 list (a host without a port takes Port).
    /// An empty host name means the default host, as an empty entry of a libpq host list does.
    /// </summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder b, IReadOnlyList<DbHost> hosts, string? servicePort)
    {
        string defaultHost = Env("PGHOST") ?? DefaultHost();
        int defaultPort = servicePort is not null ? PortOf(servicePort, "The service's port")
            : Env("PGPORT") is { } envPort ? PortOf(envPort, "The environment variable PGPORT") : 5432;
        string Name(DbHost h) => h.Name.Length == 0 ? defaultHost : h.Name;
        switch (hosts.Count)
        {
            case 0:
                b.Host = defaultHost;
                b.Port = defaultPort;
                break;
            case 1:
                b.Host = Name(hosts[0]);
                b.Port = hosts[0].Port ?? defaultPort;
                break;
            default:
                b.Host = string.Join(",", hosts.Select(h => h.Port is int port
                    ? (Name(h).Contains(':') && !Name(h).StartsWith('/') ? "[" + Name(h) + "]" : Name(h)) + ":" + port.ToString(CultureInfo.InvariantCulture)
                    : Name(h)));
                b.Port = defaultPort;
                break;
        }
    }

    /// <summary>Combinations Npgsql would only refuse when the first connection opens: refuse them now, naming the option.</summary>
    private static void Check(NpgsqlConnectionStringBuilder b, int hostCount)
    {
        if (b.TcpKeepAliveInterval > 0 && b.TcpKeepAliveTime == 0)
        {
            throw new DbConfigurationException("The URL option keepalives_interval needs keepalives_idle too (Npgsql sets both or neither).", "Query");
        }
        if (b.SslNegotiation == SslNegotiation.Direct && b.SslMode is not (SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull))
        {
            throw new DbConfigurationException("The URL option sslnegotiation=direct needs sslmode=require, verify-ca or verify-full.", "Query");
        }
        if (hostCount < 2 && (b.Host?.Contains(',') != true) && b.TargetSessionAttributes is { } attrs && attrs != "any")
        {
            throw new DbConfigurationException($"The URL option target_session_attrs={attrs} needs a multi-host URL with Npgsql.", "Query");
        }
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    /// <summary>libpq's default: the Unix socket folder when a server listens there, else localhost.</summary>
    private static string DefaultHost()
    {
        if (!OperatingSystem.IsWindows())
        {
            foreach (var dir in new[] { "/var/run/postgresql", "/tmp" })
            {
                if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir, ".s.PGSQL.*").Any()) return dir;
            }
        }
        return "localhost";
    }

    private static int PortOf(string text, string source) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 65535
            ? n
            : throw new DbConfigurationException(source + " is not a port number from 1 to 65535.", "Port");

    /// <summary>libpq: zero or less waits forever, 1 means 2 s; Npgsql caps Timeout at 1024 s.</summary>
    private static int ConnectTimeout(string value)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seconds))
        {
            throw NotValid("a whole number of seconds");
        }
        return seconds <= 0 ? 0 : Math.Clamp(seconds, 2, 1024);
    }

    /// <summary>libpq's method names (scram-sha-256, !md5) as Npgsql spells them (ScramSHA256, !MD5).</summary>
    private static string RequireAuth(string value) => string.Join(",", value.Split(',').Select(item =>
    {
        string method = item.Trim().TrimStart('!');
        string not = item.Trim().StartsWith('!') ? "!" : "";
        return not + OneOf(method, ("password", "Password"), ("md5", "MD5"), ("gss", "GSS"), ("sspi", "SSPI"),
            ("scram-sha-256", "ScramSHA256"), ("none", "None"));
    }));

    private static int Seconds(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw NotValid("a whole number of seconds");

    private static T OneOf<T>(string value, params (string Text, T Value)[] choices)
    {
        foreach (var (text, result) in choices)
        {
            if (text == value) return result;
        }
        throw NotValid("one of " + string.Join(", ", choices.Select(c => c.Text)));
    }

    private static BadValueException NotValid(string expected) => new(expected);

    /// <summary>A value an option can't take; <see cref="Set"/> names the option and where it came from.</summary>
    private sealed class BadValueException(string expected) : Exception(expected);
}
