namespace PgUsers.Rows;

/// <summary>A forward-only row stream. Dispose before the end stops the read on the server (no draining).</summary>
internal interface IRowReader : IDisposable
{
    IReadOnlyList<string> Columns { get; }
    bool Read();

    /// <summary>Current row's values, SQL NULL as null, into a fresh array.</summary>
    object?[] GetValues();

    /// <summary>Which result set the current row belongs to, from 0 (one per statement, or per execution of a batch).</summary>
    int ResultIndex { get; }
}
