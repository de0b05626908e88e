namespace PgUsers.Tables;

/// <summary>Get-DbTable's reading of the catalog: the tables whose schema and name match, each described in full.</summary>
internal static class TableListing
{
    // Names match as PowerShell wildcards (translated to regular expressions, any case); system schemas only when asked for.
    private const string TablesSql = """
        SELECT n.nspname::text, c.relname::text, format('%I.%I', n.nspname, c.relname),
               CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                              WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' END,
               CASE WHEN c.relkind IN ('r', 'm', 'p') AND c.reltuples >= 0 THEN c.reltuples::bigint END,
               CASE WHEN c.relkind IN ('r', 'm', 'p', 'f') THEN pg_total_relation_size(c.oid) END,
               ARRAY(SELECT format('%s (%s)', k.conname, pg_get_constraintdef(k.oid)) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'u' ORDER BY k.conname),
               ARRAY(SELECT format('%s: %s', k.conname, pg_get_constraintdef(k.oid)) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f' ORDER BY k.conname),
               ARRAY(SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = c.oid ORDER BY i.indexrelid::regclass::text)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
          AND c.relname ~* @name AND n.nspname ~* @schema
          AND (@schemaGiven OR (n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'))
          AND has_schema_privilege(n.oid, 'USAGE')
        ORDER BY 1, 2
        """;

    public static List<DbTable> List(IDbLink link, string namePattern, string? schemaPattern, CancellationToken cancellation)
    {
        var parameters = new KeyValuePair<string, object?>[]
        {
            new("name", WildcardSql.ToRegex(namePattern)),
            new("schema", WildcardSql.ToRegex(schemaPattern ?? "*")),
            new("schemaGiven", schemaPattern is not null),
        };
        var found = new List<(TableName Name, object?[] Values)>();
        using (var reader = link.ExecuteReader(new DbStatement(TablesSql, parameters), cancellation))
        {
            while (reader.Read())
            {
                var v = reader.GetValues();
                found.Add((new TableName((string)v[0]!, (string)v[1]!, (string)v[2]!), v));
            }
        }
        var tables = new List<DbTable>();
        foreach (var (name, v) in found)
        {
            var description = TableCatalog.Describe(link, name, cancellation);
            tables.Add(new DbTable(name.Schema, name.Name, (string)v[3]!, description.Columns.Select(c => new DbColumn(c)).ToArray(),
                description.PrimaryKey.ToArray(), Strings(v[6]), Strings(v[7]), Strings(v[8]),
                v[4] is null ? null : Convert.ToInt64(v[4]), v[5] is null ? null : Convert.ToInt64(v[5])));
        }
        return tables;
    }

    private static string[] Strings(object? array) => array is IEnumerable<object?> items ? items.Cast<string>().ToArray() : Array.Empty<string>();
}
