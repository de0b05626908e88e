namespace PgUsers.Tables;

/// <summary>
/// What Copy-DbTable asks a catalog beyond a table's name (<see cref="TableName"/>): the columns of a
/// table or of a query's result with the type binary COPY sends for each (a domain's base type).
/// </summary>
internal static class CopyCatalog
{
    // Domains are followed to their base type, which is what binary COPY sends.
    private const string ColumnsSql = """
        SELECT c.relkind::text, c.oid::int8, current_database()::text, c.reltuples::int8,
               a.attname::text, format_type(a.atttypid, a.atttypmod), b.oid::int8, format_type(b.oid, NULL), a.attgenerated <> ''
        FROM pg_class c
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
        WHERE c.oid = to_regclass(@table)
        ORDER BY a.attnum
        """;

    private const string TypesSql = """
        SELECT t.oid::int8, format_type(t.oid, NULL), b.oid::int8, format_type(b.oid, NULL)
        FROM pg_type t
        JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
        WHERE t.oid::int8 = ANY (@oids)
        """;

    /// <summary>
    /// A table found in the catalog: its name, its kind (pg_class.relkind), its oid and database, the planner's
    /// estimate of its rows (-1 or 0 when it has none), and its columns.
    /// </summary>
    internal sealed record Table(TableName Name, char Kind, long Oid, string Database, long EstimatedRows, IReadOnlyList<Column> Columns)
    {
        public string Quoted => Name.Quoted;
        public override string ToString() => Quoted;
    }

    /// <param name="Name">The column's name.</param>
    /// <param name="SqlType">Its type as format_type writes it, modifier included: what -AutoCreate declares.</param>
    /// <param name="BaseOid">The oid of the type binary COPY sends (a domain's base type).</param>
    /// <param name="BaseType">That type's name, without a modifier.</param>
    /// <param name="Generated">A generated column: read, never written.</param>
    internal sealed record Column(string Name, string SqlType, long BaseOid, string BaseType, bool Generated = false)
    {
        public string Quoted => TableName.Quote(Name);
    }

    /// <summary>The table or view <paramref name="name"/> names (see <see cref="TableName.Resolve"/>) with its columns, or null.</summary>
    public static Table? Find(IDbLink link, string name, string? schema, CancellationToken cancellation)
    {
        if (TableName.Resolve(link, name, schema, cancellation) is not { } table) return null;
        object?[]? first = null;
        var columns = new List<Column>();
        using (var reader = link.ExecuteReader(new DbStatement(ColumnsSql, new KeyValuePair<string, object?>[] { new("table", table.Quoted) }), cancellation))
        {
            while (reader.Read())
            {
                var v = reader.GetValues();
                first ??= v;
                if (v[4] is string column) columns.Add(new Column(column, (string)v[5]!, (long)v[6]!, (string)v[7]!, v[8] is true));
            }
        }
        // Dropped between the two lookups: as good as never there.
        if (first is null) return null;
        return new Table(table, ((string)first[0]!)[0], (long)first[1]!, (string)first[2]!, (long)first[3]!, columns);
    }

    /// <summary>
    /// The columns a query returns, described by the server without running it; each type named as
    /// format_type names it (the driver's name, modifier included, for a built-in type).
    /// </summary>
    public static IReadOnlyList<Column> Describe(IDbLink link, DbStatement query, CancellationToken cancellation)
    {
        var result = link.DescribeResult(query, cancellation);
        var types = new Dictionary<long, (string Name, long BaseOid, string BaseType)>();
        var oids = result.Select(c => (long)c.TypeOid).Distinct().ToArray();
        using (var reader = link.ExecuteReader(new DbStatement(TypesSql, new KeyValuePair<string, object?>[] { new("oids", oids) }), cancellation))
        {
            while (reader.Read())
            {
                var v = reader.GetValues();
                types[(long)v[0]!] = ((string)v[1]!, (long)v[2]!, (string)v[3]!);
            }
        }
        return result.Select(c =>
        {
            var type = types[c.TypeOid];
            // The driver's name keeps the modifier (varchar(255)) but is not SQL for a type of the database's own.
            string sqlType = c.TypeOid < FirstUserOid ? c.TypeName : type.Name;
            return new Column(c.Name, sqlType, type.BaseOid, type.BaseType);
        }).ToList();
    }

    /// <summary>Oids below this are the server's own types, the same in every database.</summary>
    public const long FirstUserOid = 16384;
}
