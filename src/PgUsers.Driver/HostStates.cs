using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// What an engine last saw each host of its URL to be, read from the parameters every PostgreSQL 14+
/// server reports on connect (in_hot_standby, default_transaction_read_only): no extra round trip.
/// </summary>
internal sealed class HostStates
{
    public const string Primary = "primary", ReadOnlyPrimary = "primary (read-only)", Standby = "standby",
        Unreachable = "unreachable", Unknown = "unknown";

    private readonly (string Host, int Port)[] _hosts;
    private readonly ConcurrentDictionary<(string Host, int Port), (string Role, DateTime At)> _seen = new();

    public HostStates(NpgsqlConnectionStringBuilder builder)
    {
        _hosts = builder.Host!.Split(',').Select(entry => Split(entry.Trim(), builder.Port)).ToArray();
    }

    public IReadOnlyList<DbHostState> Snapshot => _hosts
        .Select(h => _seen.TryGetValue(h, out var seen) ? new DbHostState(h.Host, h.Port, seen.Role, seen.At) : new DbHostState(h.Host, h.Port, Unknown, null))
        .ToArray();

    /// <summary>The hosts and their roles in one line, for errors.</summary>
    public string Describe() => string.Join(", ", Snapshot.Select(h => h.ToString()));

    /// <summary>The hosts in one line, without roles.</summary>
    public string Names() => string.Join(", ", _hosts.Select(h => new DbHostState(h.Host, h.Port, "", null).ToString().TrimEnd()));

    /// <summary>Records the role of the server an open connection reached; returns it (null when the server does not report it).</summary>
    public string? Saw(NpgsqlConnection connection)
    {
        string? role = RoleOf(connection);
        if (role is null) return null;
        var key = (connection.Host ?? "", connection.Port);
        var now = DateTime.UtcNow;
        // Every checkout passes here: write only what is news (a new role, or a time a second older).
        if (!_seen.TryGetValue(key, out var seen) || seen.Role != role || now - seen.At > TimeSpan.FromSeconds(1)) _seen[key] = (role, now);
        return role;
    }

    public void Record(NpgsqlConnection connection, string role) => _seen[(connection.Host ?? "", connection.Port)] = (role, DateTime.UtcNow);

    /// <summary>A single-host engine could not connect.</summary>
    public void SawUnreachable()
    {
        foreach (var host in _hosts) _seen[host] = (Unreachable, DateTime.UtcNow);
    }

    /// <summary>Roles may have changed (a lost connection, a failover): unknown until the next connection says.</summary>
    public void Forget() => _seen.Clear();

    private static string? RoleOf(NpgsqlConnection connection)
    {
        var parameters = connection.PostgresParameters;
        if (!parameters.TryGetValue("in_hot_standby", out string? standby)) return null;
        if (standby == "on") return Standby;
        return parameters.TryGetValue("default_transaction_read_only", out string? readOnly) && readOnly == "on" ? ReadOnlyPrimary : Primary;
    }

    /// <summary>host:port, [v6]:port or host, as Npgsql's Host list spells them.</summary>
    private static (string Host, int Port) Split(string entry, int defaultPort)
    {
        int colon = entry.LastIndexOf(':');
        bool hasPort = colon > 0 && (entry.StartsWith('[') ? entry[colon - 1] == ']' : entry.IndexOf(':') == colon)
            && int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
        string host = hasPort ? entry[..colon] : entry;
        int port = hasPort ? int.Parse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture) : defaultPort;
        return (host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host, port);
    }
}
