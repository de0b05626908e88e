namespace PgUsers.Rows;

/// <summary>The property names of one result set's rows (column names, duplicates made distinct) and their row type.</summary>
internal sealed class RowShape
{
    public RowShape(IReadOnlyList<string> columns)
    {
        var names = new string[columns.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < columns.Count; i++)
        {
            // PowerShell property names are case-insensitive: a and A would collide too.
            string name = string.IsNullOrEmpty(columns[i]) ? "?column?" : columns[i];
            string candidate = name;
            for (int n = 1; !seen.Add(candidate); n++)
            {
                candidate = name + "_" + n;
            }
            names[i] = candidate;
        }
        _create = RowTypes.FactoryFor(names);
    }

    private readonly Func<object?[], object> _create;

    /// <summary>A DbRow (or, past the generated-type bound, a PSObject of note properties).</summary>
    public object CreateRow(object?[] values) => _create(values);

    /// <summary>The reader's rows as DbRows; a new result set with other columns gets its own shape.</summary>
    public static IEnumerable<object> Rows(IRowReader reader)
    {
        RowShape? shape = null;
        IReadOnlyList<string>? shapeColumns = null;
        while (reader.Read())
        {
            if (!ReferenceEquals(shapeColumns, reader.Columns))
            {
                shapeColumns = reader.Columns;
                shape = new RowShape(shapeColumns);
            }
            yield return shape!.CreateRow(reader.GetValues());
        }
    }
}
