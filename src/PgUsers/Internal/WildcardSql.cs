using System.Text;

namespace PgUsers.Internal;

/// <summary>PowerShell wildcards (* ? [a-z] and ` escapes) as an anchored PostgreSQL regular expression, for ~*.</summary>
internal static class WildcardSql
{
    private const string RegexSpecials = @"\.^$|()[]{}*+?";

    public static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    AppendLiteral(sb, pattern[++i]);
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    int close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        AppendLiteral(sb, c);
                        break;
                    }
                    sb.Append('[');
                    foreach (char member in pattern.AsSpan(i + 1, close - i - 1))
                    {
                        if (member == '\\') sb.Append('\\');
                        sb.Append(member);
                    }
                    sb.Append(']');
                    i = close;
                    break;
                default:
                    AppendLiteral(sb, c);
                    break;
            }
        }
        return sb.Append('$').ToString();
    }

    private static void AppendLiteral(StringBuilder sb, char c)
    {
        if (RegexSpecials.Contains(c)) sb.Append('\\');
        sb.Append(c);
    }
}
