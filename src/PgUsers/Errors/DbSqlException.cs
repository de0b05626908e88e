namespace PgUsers;

/// <summary>A PostgreSQL error, with the server's SQLSTATE and the parts psql shows.</summary>
public sealed class DbSqlException : Exception
{
    internal DbSqlException(string sqlState, string severity, string messageText, string? detail, string? hint,
        int position, string? schemaName, string? tableName, string? columnName, string? constraintName, Exception? inner, string? where = null)
        : base(Compose(sqlState, messageText, detail, hint, position), inner)
    {
        SqlState = sqlState;
        Severity = severity;
        MessageText = messageText;
        Detail = detail;
        Hint = hint;
        Position = position;
        SchemaName = schemaName;
        TableName = tableName;
        ColumnName = columnName;
        ConstraintName = constraintName;
        Where = string.IsNullOrEmpty(where) ? null : where;
    }

    /// <summary>The five-character SQLSTATE code, such as 23505.</summary>
    public string SqlState { get; }
    /// <summary>ERROR, FATAL or PANIC.</summary>
    public string Severity { get; }
    /// <summary>The primary message, without the SQLSTATE.</summary>
    public string MessageText { get; }
    /// <summary>The server's detail line, when it sent one.</summary>
    public string? Detail { get; }
    /// <summary>The server's hint, when it sent one.</summary>
    public string? Hint { get; }
    /// <summary>1-based character position in the query text, 0 when none.</summary>
    public int Position { get; }
    /// <summary>Schema of the object involved, when known.</summary>
    public string? SchemaName { get; }
    /// <summary>Table involved, when known.</summary>
    public string? TableName { get; }
    /// <summary>Column involved, when known.</summary>
    public string? ColumnName { get; }
    /// <summary>Constraint violated, when known.</summary>
    public string? ConstraintName { get; }
    /// <summary>The server's CONTEXT: where the error arose, such as "COPY users, line 5, column referrer_id: "abc"".</summary>
    public string? Where { get; }

    private static string Compose(string sqlState, string messageText, string? detail, string? hint, int position)
    {
        var text = $"{sqlState}: {messageText}";
        if (position > 0) text += $" (at character {position})";
        if (!string.IsNullOrEmpty(detail)) text += $"{Environment.NewLine}DETAIL: {detail}";
        if (!string.IsNullOrEmpty(hint)) text += $"{Environment.NewLine}HINT: {hint}";
        return text;
    }
}
