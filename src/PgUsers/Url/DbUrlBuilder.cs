using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace PgUsers.Url;

/// <summary>New-DbUrl's logic: start from -Url (parsed) or nothing, then apply the bound parts.</summary>
internal static class DbUrlBuilder
{
    public static DbUrl Build(NewDbUrlCommand command)
    {
        var bound = command.MyInvocation.BoundParameters;
        if (bound.ContainsKey("Url") && command.Url is null)
        {
            // Usually an unset variable ($env:DATABASE_URL): silently meaning "all defaults" would hide it.
            throw new DbConfigurationException("-Url is $null: give a URL string or a DbUrl (leave -Url out for all defaults).", "Url");
        }
        DbUrl url = Source(command.Url);

        string drivername = bound.ContainsKey("Drivername") ? command.Drivername ?? "" : url.Drivername;
        if (drivername.Length == 0) throw new DbConfigurationException("-Drivername must not be empty: use postgresql or postgresql+<driver>.", "Drivername");
        string? username = bound.ContainsKey("Username") ? command.Username : url.Username;
        string? password = bound.ContainsKey("Password") ? PasswordText(command.Password) : url.Password;
        if (command.Credential is { } credential && credential != PSCredential.Empty)
        {
            if (bound.ContainsKey("Username") || bound.ContainsKey("Password"))
            {
                throw new DbConfigurationException("Give -Credential, or -Username and -Password, not both.", "Credential");
            }
            username = credential.UserName;
            password = credential.GetNetworkCredential().Password;
        }
        string? database = bound.ContainsKey("Database") ? command.Database : url.Database;

        IReadOnlyList<DbHost> hosts = bound.ContainsKey("HostName") ? Hosts(command.HostName) : url.Hosts;
        if (bound.ContainsKey("Port"))
        {
            hosts = WithPort(hosts, command.Port, keepGiven: bound.ContainsKey("HostName"));
        }

        IReadOnlyList<KeyValuePair<string, string>> query = url.QueryPairs;
        if (command.Query is { } table)
        {
            query = MergeQuery(url.QueryPairs, table);
        }
        if (bound.ContainsKey("Service"))
        {
            // The same as ?service=name: a connection service of pg_service.conf; $null or empty removes it.
            query = MergeQuery(query, new Hashtable { ["service"] = string.IsNullOrEmpty(command.Service) ? null : command.Service });
        }
        // The query may name user, password, dbname, host or port; DbUrl folds them over the fields.
        return new DbUrl(drivername, username, password, hosts, database, query);
    }

    /// <summary>
    /// PgUsers.InvalidUrl, targeting the wrong part's name (the text around it could be the password);
    /// non-terminating for one piped item, so the rest still flow.
    /// </summary>
    public static void ReportInvalid(PSCmdlet cmdlet, DbConfigurationException e)
    {
        var record = new ErrorRecord(e, "PgUsers.InvalidUrl", ErrorCategory.InvalidArgument, e.ParamName);
        if (cmdlet.MyInvocation.ExpectingInput) cmdlet.WriteError(record);
        else cmdlet.ThrowTerminatingError(record);
    }

    private static DbUrl Source(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
    {
        null => new DbUrl("postgresql", null, null, Array.Empty<DbHost>(), null, Array.Empty<KeyValuePair<string, string>>()),
        DbUrl existing => existing,
        DbSandbox sandbox => sandbox.Url,
        DbEngine engine => engine.Url,
        string text => DbUrl.Parse(text),
        Uri uri => DbUrl.Parse(uri.OriginalString),
        var other => throw new DbConfigurationException($"-Url takes a DbUrl or a URL string, not a {other.GetType().Name}.", "Url"),
    };

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
                    hosts.AddRange(DbUrlText.ParseHostList(text));
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
        return hosts.Count == 0 && port is null ? hosts : DbUrlText.WithPorts(hosts, new[] { port }, keepOwn: keepGiven);
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
