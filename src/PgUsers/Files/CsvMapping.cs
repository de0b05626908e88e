namespace PgUsers.Files;

/// <summary>A CSV header mapped onto a table's columns: the COPY column list, and which fields to drop.</summary>
internal sealed class CsvMapping
{
    private readonly Dictionary<string, string> _headerOf;

    private CsvMapping(List<TableColumn> columns, bool[]? keep, List<string> skipped, Dictionary<string, string> headerOf)
    {
        Columns = columns;
        Keep = keep;
        Skipped = skipped;
        _headerOf = headerOf;
    }

    /// <summary>The target columns, in the order of the fields that feed them.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>Which fields of each record go to the server; null when all of them do.</summary>
    public bool[]? Keep { get; }

    /// <summary>Headers that match no column (left out with -IgnoreUnknownColumns).</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>The COPY column list, quoted.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Quoted));

    /// <summary>The header that feeds <paramref name="column"/>, as the file spells it.</summary>
    public string? HeaderOf(string column) => _headerOf.TryGetValue(column, out var header) ? header : null;

    /// <summary>Maps <paramref name="headers"/>; on failure returns null with a stable error id and a message that says what to fix.</summary>
    public static CsvMapping? Build(IReadOnlyList<string> headers, TableDescription table, bool ignoreUnknown, out string? errorId, out string? problem)
    {
        errorId = problem = null;
        var columns = new List<TableColumn>();
        var keep = new bool[headers.Count];
        var skipped = new List<string>();
        var unknown = new List<string>();
        var headerOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < headers.Count; i++)
        {
            string header = headers[i];
            var column = table.Match(header, out string? ambiguity);
            if (ambiguity is not null)
            {
                (errorId, problem) = ("PgUsers.CsvAmbiguousHeader",
                    $"The header '{header}' could name any of the columns {ambiguity} of {table.QuotedName}; rename it to one of them exactly.");
                return null;
            }
            if (column is null)
            {
                unknown.Add(header);
                continue;
            }
            if (headerOf.TryGetValue(column.Name, out var earlier))
            {
                (errorId, problem) = ("PgUsers.CsvDuplicateHeader",
                    $"The headers '{earlier}' and '{header}' both name the column {column.Name} of {table.QuotedName}; keep one of them.");
                return null;
            }
            headerOf[column.Name] = header;
            columns.Add(column);
            keep[i] = true;
        }
        if (unknown.Count > 0 && !ignoreUnknown)
        {
            (errorId, problem) = ("PgUsers.CsvUnknownHeader",
                $"{Names(unknown)} {(unknown.Count == 1 ? "matches" : "match")} no column of {table.QuotedName} (columns: {string.Join(", ", table.Columns.Select(c => c.Name))}). " +
                "Rename the header, or pass -IgnoreUnknownColumns to leave such fields out.");
            return null;
        }
        skipped.AddRange(unknown);
        if (columns.Count == 0)
        {
            (errorId, problem) = ("PgUsers.CsvNoKnownHeader",
                $"No header of the file matches a column of {table.QuotedName} (columns: {string.Join(", ", table.Columns.Select(c => c.Name))}).");
            return null;
        }
        return new CsvMapping(columns, unknown.Count == 0 ? null : keep, skipped, headerOf);
    }

    private static string Names(List<string> headers) =>
        (headers.Count == 1 ? "The header " : "The headers ") + string.Join(", ", headers.Select(h => h.Length == 0 ? "(empty)" : $"'{h}'"));
}
