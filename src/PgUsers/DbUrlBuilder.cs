using System.Collections;
using System.Management.Automation;
using System.Net;
using PgUsers.Commands;

namespace PgUsers;

/// <summary>New-DbUrl's logic: start from -Url (parsed) or nothing, then apply the bound parts.</summary>
internal static class DbUrlBuilder
{
    public static DbUrl Build(NewDbUrlCommand command)
    {
        object? source = command.Url is PSObject pso ? pso.BaseObject : command.Url;
        DbUrl url = source switch
        {
            null => new DbUrl("postgresql", null, null, Array.Empty<DbHost>(), null, Array.Empty<KeyValuePair<string, string>>()),
            DbUrl existing => existing,
            string text => DbUrl.Parse(text),
            _ => throw new DbConfigurationException($"-Url takes a DbUrl or a URL string, not a {source.GetType().Name}.", "Url"),
        };
        string? drivername = command.Drivername is null ? null : DbUrlText.NormalizeDrivername(command.Drivername);
        string? username = command.IsBound("Username") ? command.Username : null;
        string? password = command.IsBound("Password") ? command.PasswordText : null;
        if (command.Credential is { } credential)
        {
            username = credential.UserName;
            password = credential.GetNetworkCredential().Password;
        }
        IReadOnlyList<DbHost>? hosts = null;
        if (command.IsBound("HostName") || command.IsBound("Port"))
        {
            var names = command.HostName ?? url.Hosts.Select(h => h.Name).ToArray();
            hosts = names.Length == 0 && command.Port is int onlyPort
                ? new[] { new DbHost("", onlyPort) }
                : names.SelectMany(n => DbUrlText.ParseHostList(n)).Select(h => h.Port is null && command.Port is int port ? h with { Port = port } : h).ToArray();
        }
        IReadOnlyList<KeyValuePair<string, string>>? query = null;
        if (command.Query is { } table)
        {
            var pairs = new List<KeyValuePair<string, string>>(url.QueryPairs.Where(p => !table.Contains(p.Key)));
            foreach (DictionaryEntry entry in table)
            {
                string key = entry.Key?.ToString() ?? "";
                object? value = entry.Value is PSObject v ? v.BaseObject : entry.Value;
                if (value is IEnumerable many and not string)
                {
                    foreach (var item in many) pairs.Add(new(key, item?.ToString() ?? ""));
                }
                else
                {
                    pairs.Add(new(key, value?.ToString() ?? ""));
                }
            }
            query = pairs;
        }
        return url.With(drivername, username, password, clearPassword: false, hosts, command.IsBound("Database") ? command.Database : null, query);
    }
}
