namespace PgUsers.Rows;

internal sealed class DbStatement
{
    public DbStatement(string sql, IReadOnlyList<KeyValuePair<string, object?>>? parameters = null, int? timeoutSeconds = null)
    {
        Sql = sql;
        Parameters = parameters ?? Array.Empty<KeyValuePair<string, object?>>();
        TimeoutSeconds = timeoutSeconds;
    }

    public string Sql { get; }
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }
    public int? TimeoutSeconds { get; }

    /// <summary>json and jsonb values as their text instead of PSCustomObjects and arrays (-JsonAs String).</summary>
    public bool JsonAsText { get; init; }
}
