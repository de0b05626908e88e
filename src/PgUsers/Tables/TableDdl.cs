using System.Collections;
using System.Management.Automation;
using System.Numerics;

namespace PgUsers.Tables;

/// <summary>
/// CREATE TABLE for -AutoCreate: the columns and their PostgreSQL types, every name quoted. The type of
/// a column comes from a sample value (<see cref="SqlTypeOf"/>) or is given (Copy-DbTable has the source's).
/// </summary>
internal static class TableDdl
{
    /// <summary>CREATE TABLE <paramref name="table"/> with <paramref name="columns"/> in order and, when given, the primary key.</summary>
    public static string CreateTable(TableName table, IReadOnlyList<(string Name, string SqlType)> columns, IReadOnlyList<string>? primaryKey = null)
    {
        if (columns.Count == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        var lines = columns.Select(c => TableName.Quote(c.Name) + " " + c.SqlType).ToList();
        if (primaryKey is { Count: > 0 }) lines.Add("PRIMARY KEY (" + string.Join(", ", primaryKey.Select(TableName.Quote)) + ")");
        return $"CREATE TABLE {table.Quoted} (\n    {string.Join(",\n    ", lines)}\n)";
    }

    /// <summary>
    /// The column type for a sample value: int → integer, long → bigint, decimal → numeric, double → double
    /// precision, bool → boolean, DateTime → timestamp, DateTimeOffset → timestamptz, Guid → uuid, byte[] →
    /// bytea, a hashtable or PSCustomObject → jsonb, an array → its element's type with [], anything else
    /// (a string, $null) → text.
    /// </summary>
    public static string SqlTypeOf(object? value)
    {
        value = ColumnValues.Unwrap(value);
        return value switch
        {
            null => "text",
            byte[] => "bytea",
            short => "smallint",
            int or byte or sbyte or ushort => "integer",
            long or uint => "bigint",
            decimal or ulong or BigInteger => "numeric",
            float => "real",
            double => "double precision",
            bool => "boolean",
            DateTime => "timestamp",
            DateTimeOffset => "timestamptz",
            Guid => "uuid",
            TimeSpan => "interval",
            System.Net.IPAddress => "inet",
            IDictionary or PSCustomObject => "jsonb",
            string or char => "text",
            IEnumerable items => ElementType(items) + "[]",
            _ => "text",
        };
    }

    // The first non-null element decides; an array of nothing but nulls is text[].
    private static string ElementType(IEnumerable items)
    {
        foreach (var item in items)
        {
            var element = ColumnValues.Unwrap(item);
            if (element is null) continue;
            if (element is IEnumerable and not (string or byte[] or IDictionary)) return "jsonb";   // arrays of arrays: PostgreSQL's are rectangular; jsonb holds any
            return SqlTypeOf(element);
        }
        return "text";
    }
}
