namespace PgUsers.Url;

/// <summary>
/// One line of libpq's password file, <c>hostname:port:database:username:password</c>, read by libpq's rules
/// (its passwordFromFile): a field of exactly <c>*</c> matches anything; a backslash makes the next character
/// literal (<c>\:</c>, <c>\\</c>, <c>\*</c>); a line starting with <c>#</c> is a comment; nothing is trimmed;
/// a line with fewer than five fields never matches; the password ends at the next unescaped colon.
/// </summary>
internal sealed class PassFileLine
{
    // null: the field was *, which matches anything.
    private readonly string?[] _patterns;

    private PassFileLine(string?[] patterns, string password)
    {
        _patterns = patterns;
        Password = password;
    }

    /// <summary>The password (unescaped). Empty means none, as libpq treats it.</summary>
    public string Password { get; }

    /// <summary>The line, or null for a comment, a blank line or one with fewer than five fields (libpq skips them).</summary>
    public static PassFileLine? Parse(string line)
    {
        line = line.TrimEnd('\r', '\n');
        if (line.Length == 0 || line[0] == '#') return null;
        var patterns = new string?[4];
        int at = 0;
        for (int field = 0; field < 4; field++)
        {
            if (ReadField(line, ref at, endsAtColon: true) is not { } text) return null;
            patterns[field] = text.Wildcard ? null : text.Value;
        }
        return new PassFileLine(patterns, ReadField(line, ref at, endsAtColon: false)!.Value.Value);
    }

    /// <summary>Whether the line is for this host (as libpq names it: see <see cref="PassFile.HostForMatching"/>), port, database and user.</summary>
    public bool Matches(string host, string port, string database, string user) =>
        Field(0, host) && Field(1, port) && Field(2, database) && Field(3, user);

    private bool Field(int index, string value) => _patterns[index] is not { } pattern || string.Equals(pattern, value, StringComparison.Ordinal);

    /// <summary>
    /// One field from <paramref name="at"/>: up to an unescaped colon (a pattern field, null when the line ends
    /// first) or to the next unescaped colon or the end (the password; a lone backslash at the end stays).
    /// </summary>
    private static (string Value, bool Wildcard)? ReadField(string line, ref int at, bool endsAtColon)
    {
        int start = at;
        var text = new System.Text.StringBuilder();
        while (at < line.Length)
        {
            char c = line[at];
            if (c == '\\' && at + 1 < line.Length)
            {
                text.Append(line[at + 1]);
                at += 2;
                continue;
            }
            if (c == ':')
            {
                at++;
                return (text.ToString(), at - start == 2 && line[start] == '*');
            }
            if (c == '\\' && endsAtColon) return null;
            text.Append(c);
            at++;
        }
        return endsAtColon ? null : (text.ToString(), false);
    }
}
