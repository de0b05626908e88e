namespace PgUsers;

/// <summary>What Import-DbCsv loaded or Export-DbCsv wrote: one per file.</summary>
public sealed class DbCsvResult
{
    internal DbCsvResult(string path, string? table, long rows, long bytes, TimeSpan elapsed)
    {
        Path = path;
        Table = table;
        Rows = rows;
        Bytes = bytes;
        Elapsed = elapsed;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }
    /// <summary>The table loaded or exported (schema.table), or null for an export of a query.</summary>
    public string? Table { get; }
    /// <summary>Data rows loaded or written (the header not counted).</summary>
    public long Rows { get; }
    /// <summary>The file's size in bytes (compressed, for .gz).</summary>
    public long Bytes { get; }
    /// <summary>How long the transfer took.</summary>
    public TimeSpan Elapsed { get; }
}
