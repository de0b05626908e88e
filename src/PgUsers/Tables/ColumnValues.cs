using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Numerics;

namespace PgUsers.Tables;

/// <summary>
/// The strict converter: an input value converts exactly to its column's type, or is refused with a
/// reason; nothing is rounded, reinterpreted or silently dropped. One set of rules for every table
/// (users, CSV rows, Write-DbTable), by the column's kind (<see cref="ColumnType"/>).
/// </summary>
internal static partial class ColumnValues
{
    /// <summary>Stands for a column the input did not carry (as opposed to one it carried as null).</summary>
    public static readonly object Absent = new();

    /// <summary>Converts <paramref name="raw"/> for <paramref name="column"/>; on failure returns false and says why.</summary>
    public static bool TryConvert(TableColumn column, object? raw, out object? value, out string? problem)
    {
        value = null;
        problem = null;
        object? given = raw;
        raw = Unwrap(raw);
        if (!column.IsArray && IsColumnType(column.Type, raw))
        {
            value = raw;   // already exact: no conversion, and the value keeps its box
            return true;
        }
        if (raw is string text && string.IsNullOrWhiteSpace(text) && !KeepsBlank(column)) raw = null;   // an empty CSV cell is NULL
        if (raw is not null)
        {
            // JSON keeps the PSObject: a PSCustomObject is only recognisable wrapped.
            value = column.IsArray && !IsJson(column.Type) ? ToArray(column, raw, out problem) : ToScalar(column, IsJson(column.Type) ? given : raw, out problem);
            if (problem is not null)
            {
                problem = $"{column.Name} {Show(raw)} {problem}";
                value = null;
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

    // The CLR types each kind is written as, which convert to themselves unchanged.
    private static bool IsColumnType(ColumnType type, object? raw) => type switch
    {
        ColumnType.BigInt => raw is long,
        ColumnType.Integer => raw is int,
        ColumnType.SmallInt => raw is short,
        ColumnType.Double => raw is double,
        ColumnType.Real => raw is float,
        ColumnType.Boolean => raw is bool,
        ColumnType.Uuid => raw is Guid,
        _ => false,
    };

    // Text, JSON and other types keep a blank string as written when it is not a CSV cell of a number or date.
    private static bool KeepsBlank(TableColumn column) => column.Type is ColumnType.Json or ColumnType.Jsonb && !column.IsArray;

    private static bool IsJson(ColumnType type) => type is ColumnType.Json or ColumnType.Jsonb;

    private static object? ToScalar(TableColumn column, object? raw, out string? problem) => column.Type switch
    {
        ColumnType.SmallInt => ToWhole(raw!, short.MinValue, short.MaxValue, "smallint", out problem) is long s ? (short)s : null,
        ColumnType.Integer => ToWhole(raw!, int.MinValue, int.MaxValue, "integer", out problem) is long i ? (int)i : null,
        ColumnType.BigInt => ToWhole(raw!, long.MinValue, long.MaxValue, "bigint", out problem),
        ColumnType.Numeric => ToNumeric(raw!, column.Precision, column.Scale, out problem),
        ColumnType.Real => ToFloat(raw!, single: true, out problem),
        ColumnType.Double => ToFloat(raw!, single: false, out problem),
        ColumnType.Boolean => ToBoolean(raw!, out problem),
        ColumnType.Varchar => ToText(raw!, column.MaxLength, column.Padded, out problem),
        ColumnType.Date => ToDate(raw!, out problem),
        ColumnType.Timestamp => ToTimestamp(raw!, out problem),
        ColumnType.TimestampTz => ToTimestampTz(raw!, out problem),
        ColumnType.Uuid => ToUuid(raw!, out problem),
        ColumnType.Bytea => ToBytes(raw!, out problem),
        ColumnType.Inet => ToInet(raw!, cidr: false, out problem),
        ColumnType.Cidr => ToInet(raw!, cidr: true, out problem),
        ColumnType.Interval => ToInterval(raw!, out problem),
        ColumnType.Json or ColumnType.Jsonb => ToJson(raw, out problem),
        ColumnType.Enum => ToLabel(raw!, column.EnumLabels, out problem),
        _ => ToText(raw!, null, false, out problem),
    };

    /// <summary>The value itself: PSObject unwrapped; DBNull and AutomationNull (what an `if` that yields nothing gives) as null.</summary>
    public static object? Unwrap(object? raw) => raw switch
    {
        _ when ReferenceEquals(raw, AutomationNull.Value) => null,
        PSObject pso => pso.BaseObject,
        DBNull => null,
        _ => raw,
    };

    private static object? ToText(object raw, int? maxLength, bool padded, out string? problem)
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
        if (Utf16.BrokenSurrogateAt(text) is int at)
        {
            problem = $"has half of a UTF-16 surrogate pair (U+{(int)text[at]:X4}) at character {at + 1}, which is no text UTF-8 can carry";
            return null;
        }
        // char(n) drops trailing spaces beyond n, as PostgreSQL does; anything else beyond n is refused.
        if (maxLength is int max && CodePoints(padded ? text.TrimEnd(' ') : text) > max)
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

    /// <summary>A one-dimensional array, each element converted by the column's element rules; typed for the engine.</summary>
    private static object? ToArray(TableColumn column, object raw, out string? problem)
    {
        problem = null;
        if (raw is string or IDictionary || raw is not IEnumerable items)
        {
            problem = $"is a {raw.GetType().Name}, not an array";
            return null;
        }
        if (raw is Array { Rank: > 1 })
        {
            problem = "has more than one dimension; the column holds one-dimensional arrays";
            return null;
        }
        var element = new TableColumn(column.Name, column.Type, column.ElementType ?? column.SqlType)
        {
            Nullable = true, MaxLength = column.MaxLength, Padded = column.Padded, Precision = column.Precision, Scale = column.Scale,
            EnumLabels = column.EnumLabels,
        };
        var values = new List<object?>();
        int index = 0;
        foreach (var item in items)
        {
            index++;
            var one = Unwrap(item);
            if (one is not null && !(one is string s && string.IsNullOrWhiteSpace(s) && column.Type is ColumnType.Varchar or ColumnType.Other))
            {
                if (one is IEnumerable and not (string or byte[]))
                {
                    problem = $"has an array at element {index}; the column holds one-dimensional arrays";
                    return null;
                }
                one = ToScalar(element, one, out problem);
                if (problem is not null)
                {
                    problem = $"element {index} {Show(item)} {problem}";
                    return null;
                }
            }
            values.Add(one);
        }
        var typed = System.Array.CreateInstance(ElementClrType(column.Type), values.Count);
        for (int i = 0; i < values.Count; i++) typed.SetValue(values[i], i);
        return typed;
    }

    // What the engine writes arrays of: nullable value types, so an element may be NULL.
    private static Type ElementClrType(ColumnType type) => type switch
    {
        ColumnType.SmallInt => typeof(short?),
        ColumnType.Integer => typeof(int?),
        ColumnType.BigInt => typeof(long?),
        ColumnType.Numeric => typeof(decimal?),
        ColumnType.Real => typeof(float?),
        ColumnType.Double => typeof(double?),
        ColumnType.Boolean => typeof(bool?),
        ColumnType.Date or ColumnType.Timestamp or ColumnType.TimestampTz => typeof(DateTime?),
        ColumnType.Uuid => typeof(Guid?),
        ColumnType.Bytea => typeof(byte[]),
        ColumnType.Interval => typeof(TimeSpan?),
        _ => typeof(string),
    };

    /// <summary>The value as an error message shows it: quoted, and cut short when long.</summary>
    public static string Show(object? raw)
    {
        raw = Unwrap(raw);
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
