using System.Text;

namespace PgUsers;

/// <summary>One host of a (possibly multi-host) URL.</summary>
public sealed record DbHost(string Name, int? Port)
{
    /// <summary>host or host:port, IPv6 in brackets.</summary>
    public override string ToString() => (Name.Contains(':') ? "[" + Name + "]" : Name) + (Port is int p ? ":" + p : "");
}

/// <summary>
/// An immutable PostgreSQL connection URL (SQLAlchemy's URL). The password is never shown:
/// ToString and RenderAsString() mask it as ***.
/// </summary>
public sealed class DbUrl : IEquatable<DbUrl>
{
    internal DbUrl(string drivername, string? username, string? password, IReadOnlyList<DbHost> hosts,
        string? database, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        Drivername = drivername;
        Username = username;
        Password = password;
        Hosts = hosts;
        Database = database;
        QueryPairs = query;
    }

    /// <summary>postgresql, or postgresql+driver.</summary>
    public string Drivername { get; }
    /// <summary>The user name, or null for the default.</summary>
    public string? Username { get; }
    /// <summary>True when the URL carries a password (never the password itself).</summary>
    public bool HasPassword => Password is not null;
    /// <summary>The host, or the hosts joined by commas for a multi-host URL.</summary>
    public string? HostName => Hosts.Count == 0 ? null : string.Join(",", Hosts.Select(h => h.Name));
    /// <summary>The port of a single-host URL.</summary>
    public int? Port => Hosts.Count == 1 ? Hosts[0].Port : null;
    /// <summary>Every host with its port.</summary>
    public IReadOnlyList<DbHost> Hosts { get; }
    /// <summary>The database name.</summary>
    public string? Database { get; }
    /// <summary>Query options; a repeated key keeps all its values (as a string[]).</summary>
    public IReadOnlyDictionary<string, object> Query
    {
        get
        {
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var group in QueryPairs.GroupBy(p => p.Key))
            {
                var values = group.Select(p => p.Value).ToArray();
                result[group.Key] = values.Length == 1 ? values[0] : values;
            }
            return result;
        }
    }

    internal string? Password { get; }
    internal IReadOnlyList<KeyValuePair<string, string>> QueryPairs { get; }

    /// <summary>The URL as a string; the password is shown as *** unless <paramref name="hidePassword"/> is false.</summary>
    public string RenderAsString(bool hidePassword = true) => DbUrlText.Render(this, hidePassword);

    /// <summary>The URL with the password masked.</summary>
    public override string ToString() => RenderAsString(true);

    /// <summary>Parses a URL string (libpq's rules for what it means).</summary>
    public static DbUrl Parse(string url) => DbUrlText.Parse(url);

    internal DbUrl With(string? drivername = null, string? username = null, string? password = null, bool clearPassword = false,
        IReadOnlyList<DbHost>? hosts = null, string? database = null, IReadOnlyList<KeyValuePair<string, string>>? query = null)
        => new(drivername ?? Drivername, username ?? Username, clearPassword ? null : password ?? Password,
            hosts ?? Hosts, database ?? Database, query ?? QueryPairs);

    public bool Equals(DbUrl? other) =>
        other is not null
        && Drivername == other.Drivername && Username == other.Username && Password == other.Password
        && Database == other.Database && Hosts.SequenceEqual(other.Hosts) && QueryPairs.SequenceEqual(other.QueryPairs);

    public override bool Equals(object? obj) => obj is DbUrl other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Drivername, Username, Database, HostName);
}
