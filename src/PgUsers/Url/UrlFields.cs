using System.Globalization;

namespace PgUsers.Url;

/// <summary>
/// The rules for a URL's fields (ports, host lists, the drivername, text a URL can carry), shared by
/// the parser, the <see cref="DbUrl"/> constructor and New-DbUrl. No message quotes the text it refuses:
/// a misplaced password could be anywhere in it.
/// </summary>
internal static class UrlFields
{
    public const string EscapeHint = "characters such as @ : / ? # % in a user name or password must be percent-escaped (%40 %3A %2F %3F %23 %25)";

    /// <summary>A refusal naming the URL's part, never its text.</summary>
    public static DbConfigurationException Bad(string what, string part) => new($"The URL's {what}.", part);

    /// <summary>A port: ASCII digits, 1 to 65535; empty means the default. The text is never quoted (it may be a password).</summary>
    public static int? ParsePort(string text, bool hint = false)
    {
        if (text.Length == 0) return null;
        if (text.Length <= 5 && text.All(c => c is >= '0' and <= '9')
            && int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) is >= 1 and <= 65535 and int port)
        {
            return port;
        }
        throw new DbConfigurationException(
            "The URL's port is not a number from 1 to 65535" + (hint ? " (if that was a password: " + EscapeHint + ")." : "."), "Port");
    }

    /// <summary>
    /// A host list as libpq's query host and New-DbUrl -HostName take it: h1:5432,h2,[::1]:5433 — taken
    /// literally (no percent-decoding), an IPv6 address in brackets or bare (then without a port).
    /// </summary>
    public static IEnumerable<DbHost> ParseHostList(string text)
    {
        var hosts = new List<DbHost>();
        int start = 0;
        bool inBrackets = false;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && !inBrackets))
            {
                hosts.Add(ParseHostToken(text[start..i]));
                start = i + 1;
            }
            else if (text[i] == '[' && i == start) inBrackets = true;
            else if (text[i] == ']') inBrackets = false;
        }
        return hosts;
    }

    private static DbHost ParseHostToken(string token)
    {
        if (token.StartsWith('['))
        {
            int close = token.IndexOf(']');
            if (close < 0) throw Bad("host has a '[' without its closing ']' (an IPv6 address is written [::1])", "HostName");
            if (close == 1) throw Bad("IPv6 host between [ ] is empty", "HostName");
            string rest = token[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':') throw Bad("IPv6 host's ']' must be followed by :port or ','", "HostName");
            return new DbHost(token[1..close], rest.Length > 1 ? ParsePort(rest[1..]) : null);
        }
        int colon = token.IndexOf(':');
        if (colon < 0 || token.IndexOf(':', colon + 1) >= 0)
        {
            // No colon, or several: a bare IPv6 address, which can't carry a port without brackets.
            return new DbHost(token);
        }
        return new DbHost(token[..colon], ParsePort(token[(colon + 1)..]));
    }

    /// <summary>libpq's port list (query port=5432,5433): an empty item means the default.</summary>
    public static int?[] ParsePortList(string text) => text.Split(',').Select(p => ParsePort(p)).ToArray();

    /// <summary>
    /// libpq's pairing of hosts and ports: one port for every host, or one per host. With keepOwn, a host
    /// that names its own port (SQLAlchemy's host=h:5432) keeps it.
    /// </summary>
    public static IReadOnlyList<DbHost> WithPorts(IReadOnlyList<DbHost> hosts, IReadOnlyList<int?> ports, bool keepOwn)
    {
        if (hosts.Count == 0) hosts = new[] { new DbHost("") };
        if (ports.Count != 1 && ports.Count != hosts.Count)
        {
            throw new DbConfigurationException($"The URL has {ports.Count} ports for {hosts.Count} hosts: give one port, or one per host.", "Port");
        }
        return hosts.Select((h, i) => keepOwn && h.Port is not null ? h : new DbHost(h.Name, ports[ports.Count == 1 ? 0 : i])).ToArray();
    }

    /// <summary>postgresql or postgresql+driver; postgres is accepted as the backend name too.</summary>
    public static string NormalizeDrivername(string drivername)
    {
        int plus = drivername.IndexOf('+');
        string backend = plus < 0 ? drivername : drivername[..plus];
        string? driver = plus < 0 ? null : drivername[(plus + 1)..];
        if (!backend.Equals("postgresql", StringComparison.OrdinalIgnoreCase) && !backend.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            string shown = IsSchemeLike(drivername) ? $"'{drivername}' " : "";
            throw new DbConfigurationException(
                $"Drivername {shown}is not PostgreSQL: use postgresql, postgres, or postgresql+<driver> (such as postgresql+psycopg2).", "Drivername");
        }
        if (driver is not null && (driver.Length == 0 || !driver.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new DbConfigurationException("The driver after 'postgresql+' must be a name of letters, digits and _ (such as psycopg2).", "Drivername");
        }
        return driver is null ? "postgresql" : "postgresql+" + driver;
    }

    /// <summary>Text shaped like a scheme or drivername (letters, digits, + _ - .), which a message may quote back.</summary>
    public static bool IsSchemeLike(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '_' or '-' or '.');

    /// <summary>Text a URL can carry: no NUL (libpq forbids %00) and well-formed UTF-16 (it becomes UTF-8 bytes).</summary>
    public static void CheckText(string? value, string part)
    {
        if (value is null) return;
        if (value.Contains('\0'))
        {
            throw new DbConfigurationException($"The {part} contains a NUL character, which PostgreSQL does not allow.", part);
        }
        if (Utf16.BrokenSurrogateAt(value) is not null)
        {
            throw new DbConfigurationException($"The {part} contains a broken Unicode character (a lone surrogate).", part);
        }
    }
}
