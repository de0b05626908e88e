namespace PgUsers.Internal;

/// <summary>Rows selected with <see cref="UserTable.Select"/> as <see cref="User"/> objects.</summary>
internal static class UserRows
{
    /// <summary>Streams users; with <paramref name="withDepth"/> the row carries a depth column after the users columns.</summary>
    public static IEnumerable<User> Read(IDbLink link, DbStatement statement, bool withDepth, CancellationToken cancellationToken)
    {
        using var reader = link.ExecuteReader(statement, cancellationToken);
        int depth = UserTable.Columns.Length;
        while (reader.Read())
        {
            var values = reader.GetValues();
            yield return new User(values, withDepth ? Convert.ToInt32(values[depth]) : null);
        }
    }
}
