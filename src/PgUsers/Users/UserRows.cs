namespace PgUsers.Users;

/// <summary>Rows selected with <see cref="UserTable.Select"/> as <see cref="User"/> objects.</summary>
internal static class UserRows
{
    /// <summary>Streams users.</summary>
    public static IEnumerable<User> Read(IDbLink link, DbStatement statement, CancellationToken cancellationToken)
    {
        foreach (var (user, _) in ReadWithExtra(link, statement, cancellationToken)) yield return user;
    }

    /// <summary>Streams users, each with the value of one more column selected after the users columns (a tree's depth).</summary>
    public static IEnumerable<(User User, object? Extra)> ReadWithExtra(IDbLink link, DbStatement statement, CancellationToken cancellationToken)
    {
        using var reader = link.ExecuteReader(statement, cancellationToken);
        int extra = UserTable.Columns.Length;
        while (reader.Read())
        {
            var values = reader.GetValues();
            yield return (new User(values), values.Length > extra ? values[extra] : null);
        }
    }
}
