namespace PgUsers.Tables;

/// <summary>Reads a table's description from the server's catalog (read-only queries: they run on standbys too).</summary>
internal static class TableCatalog
{
    // One row per column. A domain is followed to its base type (one level; a domain over a domain is
    // read as text); an array's element likewise. Lengths and numeric precision come from the type modifier.
    private const string ColumnsSql = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull AND NOT coalesce(t.typnotnull, false),
               pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
               b.typname::text, b.typnamespace = 'pg_catalog'::regnamespace, b.typtype::text, b.typcategory::text,
               CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
               e.typname::text, e.typnamespace = 'pg_catalog'::regnamespace, e.typtype::text,
               CASE WHEN b.typcategory = 'A' AND b.typelem <> 0 THEN format_type(b.typelem, NULL) END,
               CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
               (SELECT array_agg(l.enumlabel::text ORDER BY l.enumsortorder) FROM pg_enum l
                 WHERE l.enumtypid = CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END),
               t.typcategory::text, quote_ident(a.attname)
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
        LEFT JOIN pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    // The primary key first, then each unique constraint or unique index, as column names in key order.
    private const string KeysSql = """
        SELECT i.indisprimary, array_agg(a.attname::text ORDER BY k.n)
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = to_regclass(@table) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
        GROUP BY i.indexrelid, i.indisprimary
        ORDER BY i.indisprimary DESC, i.indexrelid
        """;

    /// <summary>The description of <paramref name="table"/> (already resolved, so it exists).</summary>
    public static TableDescription Describe(IDbLink link, TableName table, CancellationToken cancellation)
    {
        var at = new[] { new KeyValuePair<string, object?>("table", table.Quoted) };
        var columns = new List<TableColumn>();
        using (var reader = link.ExecuteReader(new DbStatement(ColumnsSql, at), cancellation))
        {
            while (reader.Read()) columns.Add(Column(reader.GetValues()));
        }
        var primary = new List<string>();
        var unique = new List<IReadOnlyList<string>>();
        using (var reader = link.ExecuteReader(new DbStatement(KeysSql, at), cancellation))
        {
            while (reader.Read())
            {
                var values = reader.GetValues();
                var names = ((IEnumerable<object?>)values[1]!).Cast<string>().ToArray();
                if ((bool)values[0]!) primary.AddRange(names);
                else unique.Add(names);
            }
        }
        return new TableDescription(table.Quoted, columns, primary, unique);
    }

    private static TableColumn Column(object?[] v)
    {
        bool isArray = v[14] is string;
        // For an array, the element's type decides the kind; for a domain, its base type's.
        var kind = isArray ? Kind((string?)v[11], v[12] is true, (string?)v[13]) : Kind((string?)v[6], v[7] is true, (string?)v[8]);
        // Arrays of enums are refused by the server's array input unless their element type matches: those go as text.
        // (as are arrays of varchar and char: the engine writes text arrays).
        if (isArray && (kind == ColumnType.Enum || (kind == ColumnType.Varchar && (string?)v[11] != "text"))) kind = ColumnType.Other;
        int typmod = Convert.ToInt32(v[15] ?? -1);
        string? baseName = (string?)(isArray ? v[11] : v[6]);
        int? length = baseName is "varchar" or "bpchar" && typmod >= 4 ? typmod - 4 : null;
        int? precision = null, scale = null;
        if (baseName == "numeric" && typmod >= 4)
        {
            precision = ((typmod - 4) >> 16) & 0xFFFF;
            scale = (((typmod - 4) & 0x7FF) ^ 1024) - 1024;
        }
        string category = (string?)v[17] ?? "";
        return new TableColumn((string)v[0]!, kind, (string)v[1]!)
        {
            Quoted = (string)v[18]!,
            Nullable = v[2] is true,
            DefaultSql = (string?)v[3],
            Identity = ((string?)v[4]) is { Length: > 0 } identity ? identity[0] : '\0',
            Generated = ((string?)v[5]) is { Length: > 0 },
            IsArray = isArray,
            DomainBase = (string?)v[10],
            ElementType = (string?)v[14],
            MaxLength = length,
            Padded = baseName == "bpchar",
            Precision = precision,
            Scale = scale,
            EnumLabels = kind is ColumnType.Enum or ColumnType.Other && v[16] is IEnumerable<object?> labels ? labels.Cast<string>().ToArray() : null,
            MayStartWithSpace = category.Length == 0 || !"NBDTIVACG".Contains(category[0]),
        };
    }

    /// <summary>The kind a base type's values are converted and written as.</summary>
    internal static ColumnType Kind(string? name, bool inCatalog, string? typtype)
    {
        if (typtype == "e") return ColumnType.Enum;
        if (!inCatalog) return ColumnType.Other;
        return name switch
        {
            "int2" => ColumnType.SmallInt,
            "int4" => ColumnType.Integer,
            "int8" => ColumnType.BigInt,
            "numeric" => ColumnType.Numeric,
            "float4" => ColumnType.Real,
            "float8" => ColumnType.Double,
            "bool" => ColumnType.Boolean,
            "text" or "varchar" or "bpchar" => ColumnType.Varchar,
            "date" => ColumnType.Date,
            "timestamp" => ColumnType.Timestamp,
            "timestamptz" => ColumnType.TimestampTz,
            "uuid" => ColumnType.Uuid,
            "bytea" => ColumnType.Bytea,
            "inet" => ColumnType.Inet,
            "cidr" => ColumnType.Cidr,
            "interval" => ColumnType.Interval,
            "json" => ColumnType.Json,
            "jsonb" => ColumnType.Jsonb,
            _ => ColumnType.Other,
        };
    }
}
