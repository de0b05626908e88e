using System.Globalization;
using System.Text;

namespace PgUsers.Url;

/// <summary>
/// Parsing (libpq's URI rules, as psql reads them) and rendering (SQLAlchemy's render_as_string) of URLs.
/// No message here ever quotes the URL text: a malformed URL may hold the password anywhere.
/// </summary>
internal static class DbUrlText
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Render(DbUrl url, bool hidePassword)
    {
        var sb = new StringBuilder(url.Drivername).Append("://");
        if (url.Username is not null || url.Password is not null)
        {
            sb.Append(Escape(url.Username ?? ""));
            if (url.Password is not null)
            {
                sb.Append(':').Append(hidePassword ? "***" : Escape(url.Password));
            }
            sb.Append('@');
        }
        // SQLAlchemy's multi-host form is ?host=h1:5432&host=h2; libpq's h1:5432,h2 in the authority
        // carries the names that form can't (a comma, a bracket, a colon outside an IPv6 address).
        bool hostsInQuery = url.Hosts.Count > 1 && url.Hosts.All(IsQuerySafe);
        if (!hostsInQuery)
        {
            sb.AppendJoin(',', url.Hosts.Select(AuthorityHost));
        }
        if (url.Database is not null)
        {
            sb.Append('/').Append(Escape(url.Database));
        }
        var query = url.QueryPairs.AsEnumerable();
        if (hostsInQuery)
        {
            query = query.Concat(url.Hosts.Select(h => new KeyValuePair<string, string>("host", QueryHost(h))))
                .OrderBy(p => p.Key, StringComparer.Ordinal);
        }
        string separator = "?";
        foreach (var (key, value) in query)
        {
            // SQLAlchemy shows every option; the client key's password is a secret like the password itself.
            sb.Append(separator).Append(Escape(key)).Append('=').Append(hidePassword && key == "sslpassword" ? "***" : Escape(value));
            separator = "&";
        }
        return sb.ToString();
    }

    /// <summary>RFC 3986 strict: everything but letters, digits and -._~ is escaped, so libpq and SQLAlchemy both read it back.</summary>
    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string AuthorityHost(DbHost host)
    {
        // Inside brackets the colons of an IPv6 address stay readable; everything else is escaped.
        string name = host.Name.Contains(':') ? "[" + Escape(host.Name).Replace("%3A", ":", StringComparison.Ordinal) + "]" : Escape(host.Name);
        return host.Port is int port ? name + ":" + port.ToString(CultureInfo.InvariantCulture) : name;
    }

    private static bool IsQuerySafe(DbHost host) => host.Name.IndexOfAny(new[] { ',', '[', ']' }) < 0;

    private static string QueryHost(DbHost host) =>
        (host.Name.Contains(':') ? "[" + host.Name + "]" : host.Name) + (host.Port is int port ? ":" + port.ToString(CultureInfo.InvariantCulture) : "");

    public static DbUrl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw new DbConfigurationException(text.Contains('=') && !text.Contains("://")
                ? "This looks like a key=value connection string; -Url takes a URL such as postgresql://user@host:5432/database."
                : "The URL must start with postgresql:// (or postgres://, postgresql+driver://).", "Url");
        }
        string drivername = text[..schemeEnd];
        if (!UrlFields.IsSchemeLike(drivername))
        {
            throw new DbConfigurationException("The URL must start with postgresql:// (or postgres://, postgresql+driver://).", "Drivername");
        }
        var reader = new Reader(text, schemeEnd + 3);
        var (username, password) = reader.UserInfo();
        var hosts = reader.Hosts();
        string? database = reader.Database();
        var query = reader.Query();
        return new DbUrl(drivername, username, password, hosts, database, query);
    }

    /// <summary>libpq's URI grammar, scanned left to right the way fe-connect.c does.</summary>
    private sealed class Reader
    {
        private readonly string _text;
        private int _at;

        public Reader(string text, int start)
        {
            _text = text;
            _at = start;
        }

        private char Current => _at < _text.Length ? _text[_at] : '\0';

        private int ScanTo(string stops)
        {
            int i = _at;
            while (i < _text.Length && stops.IndexOf(_text[i]) < 0) i++;
            return i;
        }

        public (string? Username, string? Password) UserInfo()
        {
            // Like libpq, look for '@' only up to the first '/': a '?' before the '@' is still part of the password.
            int end = ScanTo("@/");
            if (end >= _text.Length || _text[end] != '@') return (null, null);
            string userinfo = _text[_at..end];
            _at = end + 1;
            int colon = userinfo.IndexOf(':');
            string user = Decode(colon >= 0 ? userinfo[..colon] : userinfo, "user name");
            string? password = colon >= 0 ? Decode(userinfo[(colon + 1)..], "password") : null;
            return (user, password);
        }

        public List<DbHost> Hosts()
        {
            var hosts = new List<DbHost>();
            while (true)
            {
                string name;
                if (Current == '[')
                {
                    int close = _text.IndexOf(']', _at);
                    if (close < 0) throw UrlFields.Bad("host has a '[' without its closing ']' (an IPv6 address is written [::1])", "HostName");
                    if (close == _at + 1) throw UrlFields.Bad("IPv6 host between [ ] is empty", "HostName");
                    name = Decode(_text[(_at + 1)..close], "host");
                    _at = close + 1;
                    if (_at < _text.Length && ":/?,".IndexOf(Current) < 0)
                    {
                        throw UrlFields.Bad("IPv6 host's ']' must be followed by :port, '/', '?' or ','", "HostName");
                    }
                }
                else
                {
                    int end = ScanTo(":/?,");
                    string raw = _text[_at..end];
                    if (raw.Contains('@')) throw UrlFields.Bad("host contains '@': " + UrlFields.EscapeHint, "HostName");
                    name = Decode(raw, "host");
                    _at = end;
                }
                int? port = null;
                if (Current == ':')
                {
                    _at++;
                    int end = ScanTo("/?,");
                    port = UrlFields.ParsePort(Decode(_text[_at..end], "port"), hint: true);
                    _at = end;
                }
                hosts.Add(new DbHost(name, port));
                if (Current != ',') return hosts;
                _at++;
            }
        }

        public string? Database()
        {
            if (Current != '/') return null;
            _at++;
            int end = ScanTo("?");
            string database = Decode(_text[_at..end], "database");
            _at = end;
            return database;
        }

        public List<KeyValuePair<string, string>> Query()
        {
            var pairs = new List<KeyValuePair<string, string>>();
            if (Current != '?') return pairs;
            // libpq: an empty query and one trailing '&' are fine; every other item is key=value with one '='.
            string query = _text[(_at + 1)..];
            if (query.Length == 0) return pairs;
            var items = query.Split('&');
            int count = query.EndsWith('&') ? items.Length - 1 : items.Length;
            for (int i = 0; i < count; i++)
            {
                string item = items[i];
                int eq = item.IndexOf('=');
                if (eq < 0) throw UrlFields.Bad($"query item {i + 1} has no '=' (options are written key=value)", "Query");
                if (item.IndexOf('=', eq + 1) >= 0) throw UrlFields.Bad($"query item {i + 1} has a second '=' (write = in a value as %3D)", "Query");
                string key = Decode(item[..eq], "query");
                pairs.Add(new(key, Decode(item[(eq + 1)..], key == "password" ? "password" : $"query option '{key}'")));
            }
            return pairs;
        }
    }


    /// <summary>libpq's percent-decoding: %XX bytes, %00 forbidden, and the bytes must be UTF-8.</summary>
    public static string Decode(string text, string part)
    {
        if (text.IndexOf('%') < 0)
        {
            return text;
        }
        var bytes = new List<byte>(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '%')
            {
                int next = text.IndexOf('%', i);
                if (next < 0) next = text.Length;
                bytes.AddRange(s_strictUtf8.GetBytes(text, i, next - i));
                i = next;
                continue;
            }
            if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
            {
                throw new DbConfigurationException(
                    $"The URL's {part} has a bad percent-escape: % must be followed by two hex digits (write a literal % as %25).", PartName(part));
            }
            byte b = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
            if (b == 0)
            {
                throw new DbConfigurationException($"The URL's {part} contains %00, which PostgreSQL does not allow.", PartName(part));
            }
            bytes.Add(b);
            i += 3;
        }
        try
        {
            return s_strictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new DbConfigurationException($"The URL's {part} is not valid UTF-8 once percent-decoded.", PartName(part));
        }
    }

    private static string PartName(string part) => part switch
    {
        "user name" => "Username",
        "password" => "Password",
        "host" => "HostName",
        "port" => "Port",
        "database" => "Database",
        _ => "Query",
    };

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
