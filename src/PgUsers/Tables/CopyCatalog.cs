using System.Text.RegularExpressions;

namespace PgUsers.Tables;

/// <summary>
/// What Copy-DbTable asks a catalog: which table a name means (quoted, never spliced), its columns with
/// their base types, a query's result columns, and the CREATE TABLE for -AutoCreate.
/// </summary>
/// <remarks>
/// Kept apart until the Tables room's own name resolution (TableName) and DDL (TableDdl) land: the
/// calls have the same shape (schema and name in, quoted name out), so this file then folds into them.
/// </remarks>
internal static class CopyCatalog
{
    // One or two parts, each "quoted" or plain: what to_regclass parses. Anything else would make it raise
    // (and doom the transaction the lookup runs in), so such a name is only taken literally.
    private static readonly Regex s_sqlName = new(
        @"^\s*(""([^""]|"""")+""|[^\s"".]+)(\s*\.\s*(""([^""]|"""")+""|[^\s"".]+))?\s*$", RegexOptions.CultureInvariant);

    // With a schema, both parts are taken literally. Without, the name as SQL resolves it (search_path,
    // "Quoted", schema.table), else taken literally in the first schema of the search_path that has it.
    private const string FindSql = """
        SELECT n.nspname, c.relname, c.relkind::text, c.oid::int8, current_database()
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND CASE WHEN @schema::text IS NOT NULL THEN n.nspname = @schema AND c.relname = @name
                   ELSE (@parsable AND c.oid = to_regclass(@name))
                        OR (c.relname = @name AND n.nspname = ANY (current_schemas(true))) END
        ORDER BY c.oid = CASE WHEN @parsable THEN to_regclass(@name) END DESC NULLS LAST,
                 array_position(current_schemas(true), n.nspname::name)
        LIMIT 1
        """;

    // Domains are followed to their base type, which is what binary COPY sends.
    private const string ColumnsSql = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), b.oid::int8, format_type(b.oid, NULL), a.attgenerated <> ''
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
        WHERE a.attrelid::int8 = @table AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    private const string TypesSql = """
        SELECT t.oid::int8, format_type(t.oid, NULL), b.oid::int8, format_type(b.oid, NULL)
        FROM pg_type t
        JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
        WHERE t.oid::int8 = ANY (@oids)
        """;

    /// <summary>A table found in the catalog: its quoted name, its kind (pg_class.relkind) and its columns.</summary>
    internal sealed record Table(string Schema, string Name, char Kind, long Oid, string Database, IReadOnlyList<Column> Columns)
    {
        public string Quoted => Quote(Schema) + "." + Quote(Name);
        public override string ToString() => Quoted;
    }

    /// <param name="Name">The column's name.</param>
    /// <param name="SqlType">Its type as format_type writes it, modifier included: what -AutoCreate declares.</param>
    /// <param name="BaseOid">The oid of the type binary COPY sends (a domain's base type).</param>
    /// <param name="BaseType">That type's name, without a modifier.</param>
    /// <param name="Generated">A generated column: read, never written.</param>
    internal sealed record Column(string Name, string SqlType, long BaseOid, string BaseType, bool Generated = false)
    {
        public string Quoted => Quote(Name);
    }

    /// <summary>The table or view <paramref name="name"/> names (in <paramref name="schema"/>, literally, when given), or null.</summary>
    public static Table? Find(IDbLink link, string name, string? schema, CancellationToken cancellation)
    {
        var parameters = new KeyValuePair<string, object?>[]
        {
            new("name", name), new("schema", schema), new("parsable", schema is null && s_sqlName.IsMatch(name)),
        };
        object?[] found;
        using (var reader = link.ExecuteReader(new DbStatement(FindSql, parameters), cancellation))
        {
            if (!reader.Read()) return null;
            found = reader.GetValues();
        }
        var columns = new List<Column>();
        using (var reader = link.ExecuteReader(new DbStatement(ColumnsSql, new KeyValuePair<string, object?>[] { new("table", found[3]) }), cancellation))
        {
            while (reader.Read())
            {
                var v = reader.GetValues();
                columns.Add(new Column((string)v[0]!, (string)v[1]!, (long)v[2]!, (string)v[3]!, v[4] is true));
            }
        }
        return new Table((string)found[0]!, (string)found[1]!, ((string)found[2]!)[0], (long)found[3]!, (string)found[4]!, columns);
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

    /// <summary>The schema a new table named without one goes into: the first of the search_path.</summary>
    public static string CurrentSchema(IDbLink link, CancellationToken cancellation) =>
        link.ExecuteScalar(new DbStatement("SELECT current_schema()"), cancellation) as string
        ?? throw new InvalidOperationException("The search_path names no schema that exists, so a new table has nowhere to go; pass -DestinationSchema.");

    /// <summary>CREATE TABLE with the given columns and types, every name quoted.</summary>
    public static string CreateTable(string schema, string name, IEnumerable<Column> columns) =>
        $"CREATE TABLE {Quote(schema)}.{Quote(name)} (\n    {string.Join(",\n    ", columns.Select(c => c.Quoted + " " + c.SqlType))}\n)";

    /// <summary>An identifier as PostgreSQL reads it: in double quotes, each double quote doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Oids below this are the server's own types, the same in every database.</summary>
    public const long FirstUserOid = 16384;
}
