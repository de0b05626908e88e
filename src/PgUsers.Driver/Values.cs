using Npgsql;
using Npgsql.PostgresTypes;

namespace PgUsers.Driver;

/// <summary>
/// Turns what Npgsql read into what PowerShell users get: json and jsonb as PSCustomObjects and arrays (unless
/// -JsonAs String), composites as PSCustomObjects named by their fields, Npgsql-only types as their text.
/// Decided once per column, so columns that need nothing cost nothing per row.
/// </summary>
internal static class Values
{
    private static readonly System.Reflection.Assembly s_npgsql = typeof(NpgsqlConnection).Assembly;

    /// <summary>The conversion a column needs, or null when Npgsql's value is already what users get.</summary>
    public static Func<object, object?>? For(NpgsqlDataReader reader, int ordinal, bool jsonAsText)
    {
        var type = reader.GetPostgresType(ordinal);
        if (NeedsWork(type, jsonAsText)) return value => Present(value, type, jsonAsText);
        // Npgsql-only types (ranges, geometry, tsvector…) go out as their text form.
        return reader.GetFieldType(ordinal) is { } clr && (clr.Assembly == s_npgsql || clr.GetElementType()?.Assembly == s_npgsql)
            ? Text
            : null;
    }

    // The microseconds from 2000-01-01 that DateTime holds (years 1 to 9999).
    private static readonly long s_firstMicros = (DateTime.MinValue.Ticks - PgTime.TicksAt2000) / 10;
    private static readonly long s_lastMicros = (DateTime.MaxValue.Ticks - PgTime.TicksAt2000) / 10;

    /// <summary>
    /// For a timestamp column, a check of each value against the reader: Npgsql turns a timestamp past year ~29000
    /// into a wrong DateTime without an error, so the microseconds are looked at, and one outside DateTime's years
    /// becomes PostgreSQL's text. It is given the value already read (null: read it). Null for any other column.
    /// </summary>
    public static Func<NpgsqlDataReader, int, object?, object>? Raw(NpgsqlDataReader reader, int ordinal)
    {
        bool? zone = reader.GetPostgresType(ordinal) is { Namespace: "pg_catalog" } type
            ? type.Name switch { "timestamp without time zone" => false, "timestamp with time zone" => true, _ => null }
            : null;
        if (zone is not { } z) return null;
        return (r, i, read) =>
        {
            long micros = r.GetFieldValue<long>(i);
            // long.MinValue and long.MaxValue are -infinity and infinity: Npgsql's DateTime.MinValue and MaxValue.
            return micros is long.MinValue or long.MaxValue || (micros >= s_firstMicros && micros <= s_lastMicros)
                ? read ?? r.GetValue(i)
                : PgTime.Timestamp(micros, z);
        };
    }

    /// <summary>PostgreSQL's text form of an Npgsql-only value; a multirange (an array of ranges) as {r1,r2}.</summary>
    private static object? Text(object value)
        => value is Array items ? "{" + string.Join(",", items.Cast<object?>().Select(i => i?.ToString())) + "}" : value.ToString();

    /// <summary>
    /// One value that Npgsql would not give as object: an interval with months (no TimeSpan holds one) as
    /// PostgreSQL's text ("1 year 2 mons 3 days 04:05:06"), a numeric too large for decimal as a BigInteger and
    /// NaN or ±Infinity as that double, a date outside DateTime's years 1-9999 as PostgreSQL's text (timestamps:
    /// <see cref="Raw"/>). Anything else fails as before.
    /// </summary>
    public static object Fallback(NpgsqlDataReader reader, int ordinal, Exception failure)
    {
        try
        {
            switch (reader.GetPostgresType(ordinal).Name)
            {
                case "interval":
                    return IntervalText(reader.GetFieldValue<NpgsqlTypes.NpgsqlInterval>(ordinal));
                case "numeric":
                    return NumericSpecial(reader, ordinal) is { } special ? special : reader.GetFieldValue<System.Numerics.BigInteger>(ordinal);
                case "date":
                    return PgTime.Date(reader.GetFieldValue<int>(ordinal));
            }
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or NotSupportedException or ArgumentException)
        {
        }
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        throw failure;
    }

    /// <summary>
    /// A numeric NaN, Infinity or -Infinity as that double, or null for any other number. Npgsql reads numeric
    /// through decimal, which has none of them; the sign word of the binary form says which: 0xC000 NaN,
    /// 0xD000 Infinity, 0xF000 -Infinity.
    /// </summary>
    private static double? NumericSpecial(NpgsqlDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        Span<byte> head = stackalloc byte[6];
        stream.ReadExactly(head);
        return (head[4] << 8 | head[5]) switch
        {
            0xC000 => double.NaN,
            0xD000 => double.PositiveInfinity,
            0xF000 => double.NegativeInfinity,
            _ => null,
        };
    }

    private static string IntervalText(NpgsqlTypes.NpgsqlInterval interval)
    {
        var parts = new List<string>();
        void Add(long n, string unit)
        {
            if (n != 0) parts.Add($"{n} {unit}{(Math.Abs(n) == 1 ? "" : "s")}");
        }
        Add(interval.Months / 12, "year");
        Add(interval.Months % 12, "mon");
        Add(interval.Days, "day");
        if (interval.Time != 0 || parts.Count == 0)
        {
            var time = TimeSpan.FromTicks(Math.Abs(interval.Time) * 10);
            string text = $"{(interval.Time < 0 ? "-" : "")}{(long)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}";
            long micros = Math.Abs(interval.Time) % 1_000_000;
            parts.Add(micros == 0 ? text : text + "." + micros.ToString("000000", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0'));
        }
        return string.Join(" ", parts);
    }

    /// <summary>True for a type the reader left unknown: the pool's type cache is out of date.</summary>
    public static bool IsUnknown(NpgsqlDataReader reader, int ordinal) => reader.GetPostgresType(ordinal) is UnknownBackendType;

    private static bool NeedsWork(PostgresType type, bool jsonAsText) => type switch
    {
        PostgresDomainType domain => NeedsWork(domain.BaseType, jsonAsText),
        PostgresCompositeType => true,
        PostgresArrayType array => NeedsWork(array.Element, jsonAsText),
        _ => !jsonAsText && IsJson(type),
    };

    private static bool IsJson(PostgresType type) => type.Namespace == "pg_catalog" && type.Name is "json" or "jsonb";

    private static object? Present(object? value, PostgresType type, bool jsonAsText)
    {
        if (value is null or DBNull) return null;
        switch (type)
        {
            case PostgresDomainType domain:
                return Present(value, domain.BaseType, jsonAsText);
            case PostgresCompositeType composite when value is object?[] fields:
                var names = new string[fields.Length];
                var values = new object?[fields.Length];
                for (int i = 0; i < fields.Length; i++)
                {
                    names[i] = i < composite.Fields.Count ? composite.Fields[i].Name : "f" + (i + 1);
                    values[i] = i < composite.Fields.Count ? Present(fields[i], composite.Fields[i].Type, jsonAsText) : fields[i];
                }
                return PsValues.Object(names, values);
            case PostgresArrayType array when value is Array items && value is not byte[]:
                if (items.Rank != 1) return value;
                var result = new object?[items.Length];
                for (int i = 0; i < result.Length; i++) result[i] = Present(items.GetValue(i), array.Element, jsonAsText);
                return result;
            case var _ when !jsonAsText && IsJson(type) && value is string json:
                return PsValues.FromJson(json);
            default:
                return value.GetType().Assembly == s_npgsql ? Text(value) : value;
        }
    }
}
