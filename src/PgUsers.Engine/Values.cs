using Npgsql;
using Npgsql.PostgresTypes;
using PgUsers.Internal;

namespace PgUsers.Engine;

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

    /// <summary>PostgreSQL's text form of an Npgsql-only value; a multirange (an array of ranges) as {r1,r2}.</summary>
    private static object? Text(object value)
        => value is Array items ? "{" + string.Join(",", items.Cast<object?>().Select(i => i?.ToString())) + "}" : value.ToString();

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
