using System.Text.RegularExpressions;

namespace PgUsers.Driver;

/// <summary>
/// Which statements in a session run under a savepoint of their own: those that return rows, as only their
/// reading can be cut short (Select-Object -First) and then undone alone. A subtransaction takes a transaction
/// id only when it writes, so a plain write needs none and takes none (200 INSERTs took 200 subtransaction ids
/// before; past 64 in one transaction the server's subtransaction cache overflows).
/// </summary>
internal static partial class StatementKind
{
    /// <summary>
    /// True when the text starts as a query (SELECT, WITH, VALUES, TABLE, SHOW, FETCH, EXPLAIN) or has a
    /// RETURNING clause. A false "no" only means a cut-short read runs to its end instead of being undone.
    /// </summary>
    public static bool ReturnsRows(string sql)
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
        foreach (var query in s_queries)
        {
            if (word.Equals(query, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return sql.Contains("RETURNING", StringComparison.OrdinalIgnoreCase) && Returning().IsMatch(sql, i);
    }

    private static readonly string[] s_queries = { "SELECT", "WITH", "VALUES", "TABLE", "SHOW", "FETCH", "EXPLAIN" };

    [GeneratedRegex(@"\bRETURNING\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Returning();
}
