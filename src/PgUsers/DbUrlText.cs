using System.Globalization;
using System.Text;

namespace PgUsers;

/// <summary>Parsing (libpq's rules) and rendering (SQLAlchemy's render_as_string) of URLs.</summary>
internal static class DbUrlText
{
    public static string Render(DbUrl url, bool hidePassword)
    {
        var sb = new StringBuilder();
        sb.Append(url.Drivername).Append("://");
        if (url.Username is not null)
        {
            sb.Append(Escape(url.Username));
            if (url.Password is not null)
            {
                sb.Append(':').Append(hidePassword ? "***" : Escape(url.Password));
            }
            sb.Append('@');
        }
        if (url.Hosts.Count == 1)
        {
            sb.Append(url.Hosts[0]);
        }
        if (url.Database is not null)
        {
            sb.Append('/').Append(Escape(url.Database));
        }
        var query = new List<KeyValuePair<string, string>>();
        if (url.Hosts.Count > 1)
        {
            query.AddRange(url.Hosts.Select(h => new KeyValuePair<string, string>("host", h.ToString())));
        }
        query.AddRange(url.QueryPairs);
        if (query.Count > 0)
        {
            sb.Append('?').Append(string.Join("&", query.Select(p => Escape(p.Key) + "=" + Escape(p.Value))));
        }
        return sb.ToString();
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    public static DbUrl Parse(string text)
    {
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) throw new DbConfigurationException("The URL must start with postgresql:// (or postgres://).", "Url");
        string drivername = text[..schemeEnd];
        string rest = text[(schemeEnd + 3)..];
        string? queryText = null;
        int q = rest.IndexOf('?');
        if (q >= 0) { queryText = rest[(q + 1)..]; rest = rest[..q]; }
        string? database = null;
        int slash = rest.IndexOf('/');
        if (slash >= 0) { database = Uri.UnescapeDataString(rest[(slash + 1)..]); rest = rest[..slash]; }
        string? user = null, password = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string userinfo = rest[..at];
            rest = rest[(at + 1)..];
            int colon = userinfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon >= 0 ? userinfo[..colon] : userinfo);
            if (colon >= 0) password = Uri.UnescapeDataString(userinfo[(colon + 1)..]);
        }
        var hosts = new List<DbHost>();
        foreach (var part in rest.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            hosts.Add(ParseHost(part));
        }
        var query = new List<KeyValuePair<string, string>>();
        if (queryText is not null)
        {
            foreach (var item in queryText.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = item.IndexOf('=');
                if (eq < 0) throw new DbConfigurationException($"The URL's query item '{item}' has no '='.", "Query");
                string key = Uri.UnescapeDataString(item[..eq]);
                string value = Uri.UnescapeDataString(item[(eq + 1)..]);
                if (key == "host") hosts.Add(ParseHost(value));
                else query.Add(new(key, value));
            }
        }
        return new DbUrl(NormalizeDrivername(drivername), user, password, hosts, database, query);
    }

    public static string NormalizeDrivername(string drivername)
    {
        if (drivername == "postgres") return "postgresql";
        if (drivername == "postgresql" || (drivername.StartsWith("postgresql+", StringComparison.Ordinal) && drivername.Length > 11)) return drivername;
        throw new DbConfigurationException($"Drivername '{drivername}' is not PostgreSQL: use postgresql, postgres, or postgresql+<driver>.", "Drivername");
    }

    public static IEnumerable<DbHost> ParseHostList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseHost).ToArray();

    private static DbHost ParseHost(string part)
    {
        string host = part;
        int? port = null;
        int colon = part.LastIndexOf(':');
        if (colon >= 0 && !part.EndsWith(']'))
        {
            host = part[..colon];
            port = int.Parse(part[(colon + 1)..], CultureInfo.InvariantCulture);
        }
        return new DbHost(Uri.UnescapeDataString(host.Trim('[', ']')), port);
    }
}
