using System.Text.RegularExpressions;

namespace PgUsers.Driver;

/// <summary>
/// Which statements in a session run under a savepoint of their own: those that only read. A subtransaction
/// takes a transaction id only when it writes, so a savepoint per read costs no xid, while one per write
/// would (200 INSERTs, 200 subtransaction ids; past 64 the server's subtransaction cache overflows).
/// </summary>
internal static partial class ReadOnlyText
{
    /// <summary>
    /// True when the text starts as a read (SELECT, WITH, VALUES, TABLE, SHOW) and names nothing that writes
    /// or locks rows. A false "no" is safe: the statement then runs without a savepoint.
    /// </summary>
    public static bool Is(string sql)
    {
        int i = 0;
        while (i < sql.Length)
        {
            char c = sql[i];
            if (char.IsWhiteSpace(c) || c == '(') i++;
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                int end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else break;
        }
        int start = i;
        while (i < sql.Length && char.IsAsciiLetter(sql[i])) i++;
        var word = sql.AsSpan(start, i - start);
        bool reads = word.Equals("SELECT", StringComparison.OrdinalIgnoreCase) || word.Equals("WITH", StringComparison.OrdinalIgnoreCase)
            || word.Equals("VALUES", StringComparison.OrdinalIgnoreCase) || word.Equals("TABLE", StringComparison.OrdinalIgnoreCase)
            || word.Equals("SHOW", StringComparison.OrdinalIgnoreCase);
        return reads && !Writes().IsMatch(sql, i);
    }

    // SELECT ... INTO makes a table; FOR UPDATE/SHARE locks rows (a lock takes an xid); a WITH may hold an INSERT.
    [GeneratedRegex(@"\b(INSERT|UPDATE|DELETE|MERGE|INTO|SHARE|CALL|COPY|CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|LOCK|SET|DO)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Writes();
}
