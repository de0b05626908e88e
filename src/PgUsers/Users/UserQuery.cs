
namespace PgUsers.Users;

/// <summary>Get-DbUser's SQL: every user value bound as a parameter, never spliced.</summary>
internal sealed class UserQuery
{
    private UserQuery(DbStatement rows, DbStatement count)
    {
        Rows = rows;
        Count = count;
    }

    public DbStatement Rows { get; }
    public DbStatement Count { get; }

    public static UserQuery Build(GetDbUserCommand command)
    {
        var where = new List<string>();
        var args = new List<KeyValuePair<string, object?>>();
        void Add(string condition, string name, object? value)
        {
            where.Add(condition);
            args.Add(new(name, value));
        }

        if (command.ParameterSetName == "Id") Add($"{UserTable.Key} = ANY(@ids)", "ids", command.TelegramId);
        if (command.Username is { } username) Add($"{UserTable.Username} ~* @username_re", "username_re", WildcardSql.ToRegex(username));
        if (command.FullName is { } fullName) Add($"{UserTable.FullName} ~* @name_re", "name_re", WildcardSql.ToRegex(fullName));
        if (command.LanguageCode is { } codes) Add($"lower({UserTable.LanguageCode}) = ANY(@codes)", "codes", codes.Select(c => c.ToLowerInvariant()).ToArray());
        if (command.CreatedAfter is { } after) Add($"{UserTable.CreatedAt} > @after", "after", after);
        if (command.CreatedBefore is { } before) Add($"{UserTable.CreatedAt} < @before", "before", before);

        string filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        string source;
        string order;
        string columns = UserTable.Select;
        if (command.ReferrerId is long referrer && command.Recurse)
        {
            args.Add(new("referrer", referrer));
            // The path array stops a referral cycle from looping forever.
            var (key, by, users) = (UserTable.Key, UserTable.Referrer, UserTable.Name);
            source = $"""
                (WITH RECURSIVE tree AS (
                    SELECT u.*, 1 AS depth, ARRAY[@referrer, u.{key}] AS path
                    FROM {users} u WHERE u.{by} = @referrer
                    UNION ALL
                    SELECT u.*, t.depth + 1, t.path || u.{key}
                    FROM {users} u JOIN tree t ON u.{by} = t.{key}
                    WHERE u.{key} <> ALL(t.path)
                ) SELECT * FROM tree) AS {users}
                """;
            columns += ", depth";
            order = $" ORDER BY depth, {UserTable.Key}";
        }
        else
        {
            if (command.ReferrerId is long direct)
            {
                filter += (filter.Length == 0 ? " WHERE " : " AND ") + $"{UserTable.Referrer} = @referrer";
                args.Add(new("referrer", direct));
            }
            source = UserTable.Name;
            order = $" ORDER BY {UserTable.Key}";
        }

        string paging = "";
        if (command.First != ulong.MaxValue)
        {
            paging += " LIMIT @first";
            args.Add(new("first", (long)Math.Min(command.First, long.MaxValue)));
        }
        if (command.Skip > 0)
        {
            paging += " OFFSET @skip";
            args.Add(new("skip", (long)Math.Min(command.Skip, long.MaxValue)));
        }
        var rows = new DbStatement($"SELECT {columns} FROM {source}{filter}{order}{paging}", args);
        var countArgs = args.Where(a => a.Key is not "first" and not "skip").ToArray();
        var count = new DbStatement($"SELECT count(*) FROM {source}{filter}", countArgs);
        return new UserQuery(rows, count);
    }
}
