
namespace PgUsers.Files;

/// <summary>
/// A table as the server's catalog describes it: its name and columns, quoted by the server
/// (format %I, quote_ident), so COPY never splices a name as the user typed it.
/// </summary>
internal sealed class CsvTable
{
    // The name travels as a bound parameter; to_regclass resolves it as SQL would (search_path,
    // "Quoted" names, schema.table) and gives NULL, not an error, for a table that does not exist.
    private const string Lookup = """
        SELECT format('%I.%I', n.nspname, c.relname), a.attname, quote_ident(a.attname), t.typcategory::text
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_type t ON t.oid = a.atttypid
        WHERE c.oid = to_regclass(@table)
        ORDER BY a.attnum
        """;

    private CsvTable(string quotedName, IReadOnlyList<Column> columns)
    {
        QuotedName = quotedName;
        Columns = columns;
    }

    /// <summary>schema.table, each part quoted where it needs to be.</summary>
    public string QuotedName { get; }

    public IReadOnlyList<Column> Columns { get; }

    /// <param name="Name">The column's name.</param>
    /// <param name="Quoted">The name as an identifier (quote_ident).</param>
    /// <param name="MayStartWithSpace">
    /// False for the type categories whose text never starts with a space (numbers, booleans, dates
    /// and times, network addresses, bit strings, arrays, composites, geometry); true for text,
    /// enums, json and the rest.
    /// </param>
    internal sealed record Column(string Name, string Quoted, bool MayStartWithSpace);

    /// <summary>The table <paramref name="name"/> names, or null when there is none.</summary>
    public static CsvTable? Find(IDbLink link, string name, CancellationToken cancellation)
    {
        string? quotedName = null;
        var columns = new List<Column>();
        using var reader = link.ExecuteReader(new DbStatement(Lookup, new[] { new KeyValuePair<string, object?>("table", name) }), cancellation);
        while (reader.Read())
        {
            var values = reader.GetValues();
            quotedName = (string)values[0]!;
            if (values[1] is string column) columns.Add(new Column(column, (string)values[2]!, !"NBDTIVACG".Contains((string)values[3]!)));
        }
        return quotedName is null ? null : new CsvTable(quotedName, columns);
    }

    /// <summary>
    /// The column each header names: the same name, else the one name equal ignoring case, else the
    /// one equal ignoring case and underscores (so a header OrderId finds a column order_id). Null for none.
    /// </summary>
    public Column? Match(string header, out string? ambiguity)
    {
        ambiguity = null;
        if (Columns.FirstOrDefault(c => c.Name == header) is { } exact) return exact;
        foreach (var sameName in new Func<Column, bool>[]
        {
            c => string.Equals(c.Name, header, StringComparison.OrdinalIgnoreCase),
            c => string.Equals(Loose(c.Name), Loose(header), StringComparison.OrdinalIgnoreCase),
        })
        {
            var found = Columns.Where(sameName).ToList();
            if (found.Count == 1) return found[0];
            if (found.Count > 1)
            {
                ambiguity = string.Join(", ", found.Select(c => c.Name));
                return null;
            }
        }
        return null;
    }

    private static string Loose(string name) => name.Replace("_", "", StringComparison.Ordinal);
}
