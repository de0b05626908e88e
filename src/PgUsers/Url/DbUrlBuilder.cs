using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace PgUsers.Url;

/// <summary>New-DbUrl's logic: start from the given URL (parsed) or nothing, then apply the given parts.</summary>
internal static class DbUrlBuilder
{
    public static DbUrl Build(DbUrlParts parts)
    {
        if (parts.Url is { IsGiven: true, Value: null })
        {
            // Usually an unset variable ($env:DATABASE_URL): silently meaning "all defaults" would hide it.
            throw new DbConfigurationException("-Url is $null: give a URL string or a DbUrl (leave -Url out for all defaults).", "Url");
        }
        DbUrl url = Source(parts.Url.Value);

        string drivername = parts.Drivername.IsGiven ? parts.Drivername.Value ?? "" : url.Drivername;
        if (drivername.Length == 0) throw new DbConfigurationException("-Drivername must not be empty: use postgresql or postgresql+<driver>.", "Drivername");
        string? username = parts.Username.IsGiven ? parts.Username.Value : url.Username;
        string? password = parts.Password.IsGiven ? PasswordText(parts.Password.Value) : url.Password;
        if (parts.Credential is { } credential && credential != PSCredential.Empty)
        {
            if (parts.Username.IsGiven || parts.Password.IsGiven)
            {
                throw new DbConfigurationException("Give -Credential, or -Username and -Password, not both.", "Credential");
            }
            username = credential.UserName;
            password = credential.GetNetworkCredential().Password;
        }
        string? database = parts.Database.IsGiven ? parts.Database.Value : url.Database;

        IReadOnlyList<DbHost> hosts = parts.HostName.IsGiven ? Hosts(parts.HostName.Value) : url.Hosts;
        if (parts.Port.IsGiven)
        {
            hosts = WithPort(hosts, parts.Port.Value, keepGiven: parts.HostName.IsGiven);
        }

        IReadOnlyList<KeyValuePair<string, string>> query = url.QueryPairs;
        if (parts.Query is { } table)
        {
            query = MergeQuery(url.QueryPairs, table);
        }
        if (parts.Service.IsGiven)
        {
            // The same as ?service=name: a connection service of pg_service.conf; $null or empty removes it.
            query = MergeQuery(query, new Hashtable { ["service"] = string.IsNullOrEmpty(parts.Service.Value) ? null : parts.Service.Value });
        }
        // The query may name user, password, dbname, host or port; DbUrl folds them over the fields.
        return new DbUrl(drivername, username, password, hosts, database, query);
    }

    private static DbUrl Source(object? value) => value is null
        ? new DbUrl("postgresql", null, null, Array.Empty<DbHost>(), null, Array.Empty<KeyValuePair<string, string>>())
        : UrlInput.From(value)
            ?? throw new DbConfigurationException($"-Url takes a DbUrl or a URL string, not a {(value is PSObject pso ? pso.BaseObject : value).GetType().Name}.", "Url");

    /// <summary>-Password: a string or a SecureString; $null removes the password. Never quoted in a message.</summary>
    private static string? PasswordText(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
    {
        null => null,
        string text => text,
        SecureString secure => new NetworkCredential("", secure).Password,
        IConvertible primitive and not IEnumerable => primitive.ToString(CultureInfo.InvariantCulture),
        var other => throw new DbConfigurationException($"-Password takes a string or a SecureString, not a {other.GetType().Name}.", "Password"),
    };

    /// <summary>-HostName: DbHost objects as they are; strings as host lists (h1:5432,h2, [::1]:5433, /var/run/postgresql).</summary>
    private static IReadOnlyList<DbHost> Hosts(object[]? values)
    {
        var hosts = new List<DbHost>();
        foreach (var value in values ?? Array.Empty<object>())
        {
            switch (value is PSObject pso ? pso.BaseObject : value)
            {
                case null:
                    break;
                case DbHost host:
                    hosts.Add(host);
                    break;
                case string text:
                    hosts.AddRange(UrlFields.ParseHostList(text));
                    break;
                case var other:
                    throw new DbConfigurationException($"-HostName takes host names (strings) or DbHost objects, not a {other.GetType().Name}.", "HostName");
            }
        }
        return hosts;
    }

    /// <summary>-Port sets every host's port (libpq: one port for all hosts); with -HostName, only the hosts given without one.</summary>
    private static IReadOnlyList<DbHost> WithPort(IReadOnlyList<DbHost> hosts, int? port, bool keepGiven)
    {
        if (port is < 1 or > 65535)
        {
            throw new DbConfigurationException($"-Port {port} is not a number from 1 to 65535.", "Port");
        }
        return hosts.Count == 0 && port is null ? hosts : UrlFields.WithPorts(hosts, new[] { port }, keepOwn: keepGiven);
    }

    /// <summary>-Query merges by key: a key given replaces all its values; an array value repeats the key; $null removes it.</summary>
    private static List<KeyValuePair<string, string>> MergeQuery(IReadOnlyList<KeyValuePair<string, string>> current, IDictionary table)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in table)
        {
            string key = Text(entry.Key) ?? "";
            keys.Add(key);
            object? value = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
            if (value is IEnumerable many and not string)
            {
                foreach (var item in many)
                {
                    if (Text(item) is { } text) added.Add(new(key, text));
                }
            }
            else if (Text(value) is { } text)
            {
                added.Add(new(key, text));
            }
        }
        var merged = current.Where(p => !keys.Contains(p.Key)).ToList();
        merged.AddRange(added);
        return merged;
    }

    private static string? Text(object? value) => value is null ? null : LanguagePrimitives.ConvertTo<string>(value);
}
