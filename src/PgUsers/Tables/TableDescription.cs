namespace PgUsers.Tables;

/// <summary>
/// A table's shape: its columns in order and its keys. A reflected table (<see cref="TableCatalog"/>)
/// and a declared one (the users table) are the same kind of thing, so binding, strict conversion and
/// COPY serve both.
/// </summary>
internal sealed class TableDescription
{
    public TableDescription(string quotedName, IReadOnlyList<TableColumn> columns, IReadOnlyList<string> primaryKey,
        IReadOnlyList<IReadOnlyList<string>>? uniqueKeys = null)
    {
        QuotedName = quotedName;
        Columns = columns;
        for (int i = 0; i < columns.Count; i++) columns[i].Ordinal = i;
        PrimaryKey = primaryKey;
        UniqueKeys = uniqueKeys ?? Array.Empty<IReadOnlyList<string>>();
    }

    /// <summary>The name every statement uses: schema.table, quoted.</summary>
    public string QuotedName { get; }

    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The primary key's columns, in key order (empty when there is none).</summary>
    public IReadOnlyList<string> PrimaryKey { get; }

    /// <summary>Each unique constraint's (and unique index's) columns.</summary>
    public IReadOnlyList<IReadOnlyList<string>> UniqueKeys { get; }

    public TableColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// The column a property or header names: the same name, else the one name equal ignoring case, else the
    /// one equal ignoring case and underscores (so OrderId finds order_id); a declared table's PowerShell names
    /// and aliases count as names. Null for none, with <paramref name="ambiguity"/> set when several match.
    /// </summary>
    public TableColumn? Match(string name, out string? ambiguity)
    {
        ambiguity = null;
        if (Columns.FirstOrDefault(c => c.Name == name) is { } exact) return exact;
        foreach (var sameName in new Func<string, bool>[]
        {
            n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase),
            n => string.Equals(Loose(n), Loose(name), StringComparison.OrdinalIgnoreCase),
        })
        {
            var found = Columns.Where(c => c.PropertyNames.Any(sameName)).ToList();
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

    public override string ToString() => QuotedName;
}
