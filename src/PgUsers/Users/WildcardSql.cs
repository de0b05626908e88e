using System.Management.Automation;
using System.Text;

namespace PgUsers.Users;

/// <summary>
/// PowerShell wildcards (* ? [abc] [a-z] and ` escapes, as -like reads them) as an anchored PostgreSQL
/// regular expression, for ~*. A pattern PowerShell itself refuses is refused here, with a message that says how.
/// </summary>
internal static class WildcardSql
{
    private const string RegexSpecials = @"\.^$|()[]{}*+?";
    // Inside a bracket expression only these mean something to PostgreSQL's regular expressions.
    private const string BracketSpecials = @"\]^-[";

    /// <summary>Throws <see cref="ArgumentException"/> naming the pattern when PowerShell would not accept it either.</summary>
    public static void Check(string pattern)
    {
        try
        {
            WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch("");
        }
        catch (WildcardPatternException)
        {
            throw new ArgumentException(
                $"The wildcard pattern '{pattern}' is not valid: a [ opens a set of characters that needs a closing ] and at least one character, as in [abc] or [a-z]. To match [ or ] themselves, escape them with a backtick: `[ and `].");
        }
    }

    public static string ToRegex(string pattern)
    {
        Check(pattern);
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
                    try
                    {
                        i = AppendSet(sb, pattern, i + 1);
                    }
                    catch (IndexOutOfRangeException)
                    {
                        // PowerShell let an unclosed set pass ('[`'): refuse it the same way.
                        throw new ArgumentException($"The wildcard pattern '{pattern}' is not valid: its [ has no closing ]. To match [ itself, write `[.");
                    }
                    break;
                default:
                    AppendLiteral(sb, c);
                    break;
            }
        }
        return sb.Append('$').ToString();
    }

    /// <summary>A set from <paramref name="start"/> (just past its [) to its ]; returns the index of the ].</summary>
    private static int AppendSet(StringBuilder sb, string pattern, int start)
    {
        sb.Append('[');
        int i = start;
        while (pattern[i] != ']')
        {
            char first = pattern[i] == '`' ? pattern[++i] : pattern[i];
            i++;
            if (pattern[i] == '-' && pattern[i + 1] != ']')
            {
                i++;
                char last = pattern[i] == '`' ? pattern[++i] : pattern[i];
                i++;
                AppendMember(sb, first);
                sb.Append('-');
                AppendMember(sb, last);
            }
            else
            {
                AppendMember(sb, first);
            }
        }
        sb.Append(']');
        return i;
    }

    private static void AppendMember(StringBuilder sb, char c)
    {
        if (BracketSpecials.Contains(c)) sb.Append('\\');
        sb.Append(c);
    }

    private static void AppendLiteral(StringBuilder sb, char c)
    {
        if (RegexSpecials.Contains(c)) sb.Append('\\');
        sb.Append(c);
    }
}
