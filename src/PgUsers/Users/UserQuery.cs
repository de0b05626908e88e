
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

    public static UserQuery Build(UserFilter filter)
    {
        var where = new List<string>();
        var args = new List<KeyValuePair<string, object?>>();
        void Add(string condition, string name, object? value)
        {
            where.Add(condition);
            args.Add(new(name, value));
        }

        if (filter.Ids is { } ids) Add($"{UserTable.Key} = ANY(@ids)", "ids", ids);
        if (filter.Username is { } username) Add($"{UserTable.Username} ~* @username_re", "username_re", WildcardSql.ToRegex(username));
        if (filter.FullName is { } fullName) Add($"{UserTable.FullName} ~* @name_re", "name_re", WildcardSql.ToRegex(fullName));
        if (filter.LanguageCodes is { } codes) Add($"lower({UserTable.LanguageCode}) = ANY(@codes)", "codes", codes.Select(c => c.ToLowerInvariant()).ToArray());
        if (filter.CreatedAfter is { } after) Add($"{UserTable.CreatedAt} > @after", "after", after);
        if (filter.CreatedBefore is { } before) Add($"{UserTable.CreatedAt} < @before", "before", before);

        string whereSql = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        string source;
        string order;
        string columns = UserTable.Select;
        if (filter.ReferrerId is long referrer && filter.Recurse)
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
            if (filter.ReferrerId is long direct)
            {
                whereSql += (whereSql.Length == 0 ? " WHERE " : " AND ") + $"{UserTable.Referrer} = @referrer";
                args.Add(new("referrer", direct));
            }
            source = UserTable.Name;
            order = $" ORDER BY {UserTable.Key}";
        }

        string paging = "";
        if (filter.First != ulong.MaxValue)
        {
            paging += " LIMIT @first";
            args.Add(new("first", (long)Math.Min(filter.First, long.MaxValue)));
        }
        if (filter.Skip > 0)
        {
            paging += " OFFSET @skip";
            args.Add(new("skip", (long)Math.Min(filter.Skip, long.MaxValue)));
        }
        var rows = new DbStatement($"SELECT {columns} FROM {source}{whereSql}{order}{paging}", args);
        var countArgs = args.Where(a => a.Key is not "first" and not "skip").ToArray();
        var count = new DbStatement($"SELECT count(*) FROM {source}{whereSql}", countArgs);
        return new UserQuery(rows, count);
    }
}
