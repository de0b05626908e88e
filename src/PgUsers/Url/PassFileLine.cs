namespace PgUsers.Url;

/// <summary>
/// One line of libpq's password file, <c>hostname:port:database:username:password</c>, matched as libpq matches it
/// (its passwordFromFile and pwdfMatchesString, walked the same way, so even their corner cases agree): a field of
/// exactly <c>*</c> matches anything; a backslash makes the next character literal (<c>\:</c>, <c>\\</c>, <c>\*</c>);
/// a line starting with <c>#</c> is a comment; nothing is trimmed but the line's end; a line with fewer than five
/// fields never matches; the password ends at the next unescaped colon.
/// </summary>
internal sealed class PassFileLine
{
    private readonly string _text;

    private PassFileLine(string text) => _text = text;

    /// <summary>The line, or null for a comment or a blank line (libpq skips them).</summary>
    public static PassFileLine? Parse(string line)
    {
        line = line.TrimEnd('\r', '\n');
        return line.Length == 0 || line[0] == '#' ? null : new PassFileLine(line);
    }

    /// <summary>
    /// The password when the line is for this host (as libpq names it: see <see cref="PassFile.HostForMatching"/>), port,
    /// database and user, else null. An empty password is returned as it is: libpq stops at the line all the same.
    /// </summary>
    public string? PasswordFor(string host, string port, string database, string user)
    {
        int at = 0;
        foreach (var token in new[] { host, port, database, user })
        {
            at = Match(at, token);
            if (at < 0) return null;
        }
        var password = new System.Text.StringBuilder();
        for (; at < _text.Length && _text[at] != ':'; at++)
        {
            if (_text[at] == '\\' && at + 1 < _text.Length) at++;
            password.Append(_text[at]);
        }
        return password.ToString();
    }

    /// <summary>Where the next field starts when the field at <paramref name="at"/> matches <paramref name="token"/>, else -1.</summary>
    private int Match(int at, string token)
    {
        if (at + 1 < _text.Length && _text[at] == '*' && _text[at + 1] == ':') return at + 2;
        int next = 0;
        bool escaped = false;
        while (at < _text.Length)
        {
            if (_text[at] == '\\' && !escaped)
            {
                at++;
                escaped = true;
                if (at == _text.Length) return -1;
            }
            if (_text[at] == ':' && next == token.Length && !escaped) return at + 1;
            escaped = false;
            if (next == token.Length || _text[at] != token[next]) return -1;
            at++;
            next++;
        }
        return -1;
    }
}
