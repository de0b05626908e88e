using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Numerics;
using System.Text.RegularExpressions;

namespace PgUsers.Users;

/// <summary>
/// Strict conversion of input values to a users column's type: a value converts exactly or is
/// refused with a reason; nothing is rounded, reinterpreted or silently dropped.
/// </summary>
internal static class UserValues
{
    /// <summary>Stands for a column the input did not carry (as opposed to one it carried as null).</summary>
    public static readonly object Absent = new();

    private static readonly Regex s_wholeNumber = new(@"^[+-]?[0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>Converts <paramref name="raw"/> for <paramref name="column"/>; on failure returns false and says why.</summary>
    public static bool TryConvert(UserColumn column, object? raw, out object? value, out string? problem)
    {
        value = null;
        problem = null;
        raw = Unwrap(raw);
        if (raw is string text && string.IsNullOrWhiteSpace(text)) raw = null;   // an empty CSV cell is NULL
        if (raw is not null)
        {
            value = column.Type switch
            {
                ColumnType.BigInt => ToBigInt(raw, out problem),
                ColumnType.Varchar => ToText(raw, column.MaxLength, out problem),
                ColumnType.Timestamp => ToTimestamp(raw, out problem),
                _ => throw new InvalidOperationException(column.Type.ToString()),
            };
            if (problem is not null)
            {
                problem = $"{column.Name} {Show(raw)} {problem}";
                return false;
            }
        }
        if (value is null && !column.Nullable)
        {
            problem = $"{column.Name} is empty, and the column is NOT NULL";
            return false;
        }
        return true;
    }

    /// <summary>The value itself: PSObject unwrapped; DBNull and AutomationNull (what an `if` that yields nothing gives) as null.</summary>
    public static object? Unwrap(object? raw) => raw switch
    {
        _ when ReferenceEquals(raw, AutomationNull.Value) => null,
        PSObject pso => pso.BaseObject,
        DBNull => null,
        _ => raw,
    };

    private static object? ToBigInt(object raw, out string? problem)
    {
        problem = null;
        switch (raw)
        {
            case long l: return l;
            case int i: return (long)i;
            case short s: return (long)s;
            case byte b: return (long)b;
            case sbyte sb: return (long)sb;
            case ushort us: return (long)us;
            case uint ui: return (long)ui;
            case ulong ul when ul <= long.MaxValue: return (long)ul;
            case BigInteger big when big >= long.MinValue && big <= long.MaxValue: return (long)big;
            case decimal m when decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue: return (long)m;
            // 2^63 as a double is out of range; anything below it converts exactly when it is whole.
            case double d when Math.Floor(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18: return (long)d;
            case float f when Math.Floor(f) == f && f >= -9.2233720368547758E18f && f < 9.2233720368547758E18f: return (long)f;
            case ulong or BigInteger:
                problem = "is out of range for bigint";
                return null;
            case decimal or double or float:
                problem = "is not a whole number in bigint's range";
                return null;
            case string text:
                text = text.Trim();
                if (!s_wholeNumber.IsMatch(text))
                {
                    problem = "is not a whole number (digits only, such as 42)";
                    return null;
                }
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed)) return parsed;
                problem = "is out of range for bigint";
                return null;
            default:
                problem = $"is a {raw.GetType().Name}, not a whole number";
                return null;
        }
    }

    private static object? ToText(object raw, int? maxLength, out string? problem)
    {
        problem = null;
        string? text = raw switch
        {
            string s => s,
            char c => c.ToString(),
            bool or Enum => raw.ToString(),
            IFormattable number when raw.GetType().IsPrimitive || raw is decimal or BigInteger => number.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
        if (text is null)
        {
            problem = $"is a {raw.GetType().Name}, not text";
            return null;
        }
        if (text.Contains('\0'))
        {
            problem = "contains a NUL character, which PostgreSQL text cannot hold";
            return null;
        }
        if (maxLength is int max && CodePoints(text) > max)
        {
            problem = $"is {CodePoints(text)} characters long; the column holds at most {max}";
            return null;
        }
        return text;
    }

    /// <summary>Length as PostgreSQL counts it: code points, so an emoji (a UTF-16 surrogate pair) is one.</summary>
    public static int CodePoints(string text)
    {
        int count = text.Length;
        foreach (char c in text)
        {
            if (char.IsLowSurrogate(c)) count--;
        }
        return count;
    }

    private static object? ToTimestamp(object raw, out string? problem)
    {
        problem = null;
        switch (raw)
        {
            case DateTime dt: return Wall(dt);
            case DateTimeOffset dto: return DateTime.SpecifyKind(dto.LocalDateTime, DateTimeKind.Unspecified);
            case string text:
                const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind;
                if (DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var parsed)
                    || DateTime.TryParse(text, CultureInfo.CurrentCulture, styles, out parsed))
                {
                    return Wall(parsed);
                }
                problem = "is not a date and time (such as 2026-11-30 14:05:00)";
                return null;
            default:
                problem = $"is a {raw.GetType().Name}, not a date and time";
                return null;
        }
    }

    // A timestamp without time zone holds wall-clock time: a UTC time is stored as this machine's local time.
    private static DateTime Wall(DateTime value) =>
        DateTime.SpecifyKind(value.Kind == DateTimeKind.Utc ? value.ToLocalTime() : value, DateTimeKind.Unspecified);

    /// <summary>The value as an error message shows it: quoted, and cut short when long.</summary>
    public static string Show(object? raw)
    {
        string text = raw switch
        {
            null => "$null",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => raw.ToString() ?? "",
        };
        text = UrlSecrets.Mask(text);   // a URL pasted where an id belongs never shows its password
        if (text.Length > 40) text = text[..37] + "...";
        return "'" + text + "'";
    }
}
