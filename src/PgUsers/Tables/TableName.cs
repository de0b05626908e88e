using System.Text.RegularExpressions;

namespace PgUsers.Tables;

/// <summary>
/// A table's name as the catalog has it: its schema and name, and schema.name quoted by the server
/// (format %I: quoted where it needs to be). A name the user typed is never spliced into SQL; it
/// travels as a bound parameter and comes back quoted.
/// </summary>
internal sealed record TableName(string Schema, string Name, string Quoted)
{
    // A name to_regclass can parse (one or two parts, unquoted or "quoted"); anything else would make it raise,
    // which would doom the transaction the lookup runs in.
    private static readonly Regex s_qualified = new(
        @"^\s*(?:""(?:[^""]|"""")+""|[^\s.""]+)\s*(?:\.\s*(?:""(?:[^""]|"""")+""|[^\s.""]+)\s*)?$", RegexOptions.CultureInvariant);

    // Without a schema: the name as SQL resolves it (search_path, "Quoted", schema.table), else the name
    // taken literally (spaces, dots, capitals) in the first schema of the search_path that has it.
    private const string Lookup = """
        SELECT n.nspname::text, c.relname::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE CASE WHEN @schema::text IS NOT NULL THEN n.nspname = @schema AND c.relname = @name
                   WHEN @parsable THEN c.oid = to_regclass(@name) ELSE false END
        UNION ALL
        SELECT * FROM (
            SELECT n.nspname::text, c.relname::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE @schema::text IS NULL AND c.relname = @name AND n.nspname = ANY (current_schemas(true))
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            ORDER BY array_position(current_schemas(true), n.nspname)
            LIMIT 1) literal
        LIMIT 1
        """;

    /// <summary>The table or view <paramref name="name"/> names (in <paramref name="schema"/> when given, taken literally), or null.</summary>
    public static TableName? Resolve(IDbLink link, string name, string? schema, CancellationToken cancellation)
    {
        var parameters = new KeyValuePair<string, object?>[]
        {
            new("name", name),
            new("schema", schema),
            new("parsable", schema is null && s_qualified.IsMatch(name)),
        };
        using var reader = link.ExecuteReader(new DbStatement($"SELECT s, t, format('%I.%I', s, t) FROM ({Lookup}) found(s, t)", parameters), cancellation);
        if (!reader.Read()) return null;
        var values = reader.GetValues();
        return new TableName((string)values[0]!, (string)values[1]!, (string)values[2]!);
    }

    /// <summary>The name of a table that need not exist yet (one to create), quoted by the server; without a schema, the first of the search_path.</summary>
    public static TableName New(IDbLink link, string name, string? schema, CancellationToken cancellation)
    {
        var parameters = new KeyValuePair<string, object?>[] { new("name", name), new("schema", schema) };
        using var reader = link.ExecuteReader(new DbStatement(
            "SELECT s, @name::text, format('%I.%I', s, @name::text) FROM (SELECT coalesce(@schema::text, current_schema()::text)) c(s)", parameters), cancellation);
        reader.Read();
        var values = reader.GetValues();
        if (values[0] is not string found) throw new InvalidOperationException("The search_path names no schema that exists, so a new table has nowhere to go; pass -Schema.");
        return new TableName(found, name, (string)values[2]!);
    }

    /// <summary>An identifier quoted as PostgreSQL reads it: in double quotes, each double quote doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string ToString() => Quoted;
}
