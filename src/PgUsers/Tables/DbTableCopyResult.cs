namespace PgUsers;

/// <summary>What Copy-DbTable copied: one per call.</summary>
public sealed class DbTableCopyResult
{
    internal DbTableCopyResult(string source, string destination, long rows, long bytes, TimeSpan elapsed, bool created)
    {
        Source = source;
        Destination = destination;
        Rows = rows;
        Bytes = bytes;
        Elapsed = elapsed;
        Created = created;
    }

    /// <summary>The source table (schema.table, quoted), or "query".</summary>
    public string Source { get; }
    /// <summary>The destination table (schema.table, quoted).</summary>
    public string Destination { get; }
    /// <summary>Rows copied.</summary>
    public long Rows { get; }
    /// <summary>Bytes of binary COPY data that passed from source to destination.</summary>
    public long Bytes { get; }
    /// <summary>How long the copy took, from the first lookup to the commit.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>True when -AutoCreate created the destination table.</summary>
    public bool Created { get; }
}
