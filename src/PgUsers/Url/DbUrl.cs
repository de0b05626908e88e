using System.Collections.ObjectModel;

namespace PgUsers;

/// <summary>
/// An immutable PostgreSQL connection URL (SQLAlchemy's URL). The password is never shown:
/// ToString and RenderAsString() mask it as ***.
/// </summary>
public sealed class DbUrl : IEquatable<DbUrl>
{
    /// <summary>
    /// Every URL is made here, so every URL is normal: the query's user, password, dbname, host and
    /// port (libpq lets the query carry them) are folded into the fields, the query wins over the
    /// authority as in libpq, empty user and database names mean "the default", options are sorted.
    /// </summary>
    internal DbUrl(string drivername, string? username, string? password, IReadOnlyList<DbHost> hosts,
        string? database, IEnumerable<KeyValuePair<string, string>> query)
    {
        var options = new List<KeyValuePair<string, string>>();
        List<DbHost>? queryHosts = null;
        string? queryPort = null;
        foreach (var (key, value) in query)
        {
            UrlFields.CheckText(key, "Query");
            if (key.Length == 0) throw new DbConfigurationException("A query option of the URL has an empty name.", "Query");
            switch (key)
            {
                case "user": username = value; break;
                case "password": password = value; break;
                case "dbname": database = value; break;
                case "host": (queryHosts ??= new List<DbHost>()).AddRange(UrlFields.ParseHostList(value)); break;
                case "port": queryPort = value; break;
                default:
                    UrlFields.CheckText(value, "Query");
                    options.Add(new(key, value));
                    break;
            }
        }
        IReadOnlyList<DbHost> allHosts = hosts;
        if (queryHosts is not null)
        {
            // libpq keeps host names and ports as two lists: a query host replaces the names, the authority's ports stay.
            var ports = hosts.Select(h => h.Port).ToArray();
            allHosts = ports.Any(p => p is not null) ? UrlFields.WithPorts(queryHosts, ports, keepOwn: true) : queryHosts;
        }
        if (queryPort is not null) allHosts = UrlFields.WithPorts(allHosts, UrlFields.ParsePortList(queryPort), keepOwn: false);
        UrlFields.CheckText(username, "Username");
        UrlFields.CheckText(password, "Password");
        UrlFields.CheckText(database, "Database");

        Drivername = UrlFields.NormalizeDrivername(drivername);
        Username = string.IsNullOrEmpty(username) ? null : username;
        Password = password;
        Database = string.IsNullOrEmpty(database) ? null : database;
        // One empty host without a port is the same as no host at all (postgresql://).
        // Read-only wrappers: PowerShell would happily assign into an array ($url.Hosts[0] = ...).
        Hosts = Array.AsReadOnly(allHosts is [{ Name: "", Port: null }] ? Array.Empty<DbHost>() : allHosts.ToArray());
        QueryPairs = Array.AsReadOnly(options.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray());
        Query = ToDictionary(QueryPairs);
    }

    private DbUrl(DbConfigurationException problem)
        : this("postgresql", null, null, Array.Empty<DbHost>(), null, Array.Empty<KeyValuePair<string, string>>())
    {
        Problem = problem;
    }

    /// <summary>
    /// A placeholder for a URL string that did not parse, for -Url parameters: PowerShell puts the raw
    /// piped string (password included) into the ErrorRecord of a failed binding, so the cmdlet reports
    /// <see cref="Problem"/> itself; the engine refuses such a URL too.
    /// </summary>
    internal static DbUrl Unusable(DbConfigurationException problem) => new(problem);

    /// <summary>Why this URL is unusable (see <see cref="Unusable"/>), or null.</summary>
    internal DbConfigurationException? Problem { get; }

    /// <summary>postgresql, or postgresql+driver.</summary>
    public string Drivername { get; }
    /// <summary>The user name, or null for the default.</summary>
    public string? Username { get; }
    /// <summary>True when the URL carries a password (never the password itself).</summary>
    public bool HasPassword => Password is not null;
    /// <summary>The host, or the hosts joined by commas for a multi-host URL; null for the default.</summary>
    public string? HostName => Hosts.Count == 0 ? null : string.Join(",", Hosts.Select(h => h.Name));
    /// <summary>The port of a single-host URL, or null for the default (see Hosts for a multi-host URL).</summary>
    public int? Port => Hosts.Count == 1 ? Hosts[0].Port : null;
    /// <summary>Every host with its port.</summary>
    public IReadOnlyList<DbHost> Hosts { get; }
    /// <summary>The database name, or null for the default.</summary>
    public string? Database { get; }
    /// <summary>Query options, sorted by name; a repeated key keeps all its values (as a list); sslpassword shows as ***.</summary>
    public IReadOnlyDictionary<string, object> Query { get; }

    internal string? Password { get; }
    internal IReadOnlyList<KeyValuePair<string, string>> QueryPairs { get; }

    /// <summary>The URL as a string; the password is shown as *** unless <paramref name="hidePassword"/> is false.</summary>
    public string RenderAsString(bool hidePassword = true) => DbUrlText.Render(this, hidePassword);

    /// <summary>The URL with the password masked.</summary>
    public override string ToString() => RenderAsString(true);

    /// <summary>Parses a URL string (libpq's rules for what it means).</summary>
    public static DbUrl Parse(string url) => DbUrlText.Parse(url);

    public bool Equals(DbUrl? other) =>
        other is not null
        && Drivername == other.Drivername && Username == other.Username && Password == other.Password
        && Database == other.Database && Hosts.SequenceEqual(other.Hosts) && QueryPairs.SequenceEqual(other.QueryPairs);

    public override bool Equals(object? obj) => obj is DbUrl other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Drivername, Username, Database, HostName, QueryPairs.Count);

    private static ReadOnlyDictionary<string, object> ToDictionary(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var group in pairs.GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            var values = group.Select(p => p.Key == "sslpassword" ? "***" : p.Value).ToArray();
            result[group.Key] = values.Length == 1 ? values[0] : Array.AsReadOnly(values);
        }
        return new ReadOnlyDictionary<string, object>(result);
    }
}
