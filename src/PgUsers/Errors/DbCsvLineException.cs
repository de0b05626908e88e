namespace PgUsers;

/// <summary>A line of a CSV file that PostgreSQL's COPY refused; the whole load was rolled back.</summary>
public sealed class DbCsvLineException : Exception
{
    internal DbCsvLineException(string path, long line, string? column, string? header, DbSqlException inner)
        : base(Compose(path, line, column, header, inner), inner)
    {
        Path = path;
        Line = line;
        Column = column;
        Header = header;
        SqlState = inner.SqlState;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
    /// <summary>The line of the file as an editor numbers it (the header is line 1; a line break inside a quoted value counts), as PostgreSQL reports it.</summary>
    public long Line { get; }
    /// <summary>The table column the bad value was meant for, when the server named one.</summary>
    public string? Column { get; }
    /// <summary>The file's header for that column, when the file has one.</summary>
    public string? Header { get; }
    /// <summary>The server's SQLSTATE, such as 22P02 (a value that does not parse).</summary>
    public string SqlState { get; }

    private static string Compose(string path, long line, string? column, string? header, DbSqlException inner)
    {
        string where = $"{System.IO.Path.GetFileName(path)}, line {line}";
        if (column is not null) where += header is not null && header != column ? $", column {column} (header '{header}')" : $", column {column}";
        string text = $"{where}: {CsvText.ShortenQuoted(inner.MessageText)}. Nothing was loaded.";
        return string.IsNullOrEmpty(inner.Detail) ? text : $"{text}{Environment.NewLine}DETAIL: {CsvText.ShortenQuoted(inner.Detail)}";
    }
}
