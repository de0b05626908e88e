namespace PgUsers.Users;

/// <summary>
/// Set-DbUser's pending changes, grouped by the columns they set (in input order). Each group goes
/// to the server as one UPDATE ... FROM unnest(arrays): one round trip for thousands of users.
/// </summary>
internal sealed class UserUpdates
{
    private readonly List<Group> _groups = new();

    public int Count { get; private set; }

    public void Add(UserRecord record)
    {
        long mask = 0;
        foreach (var column in UserTable.Settable)
        {
            if (record.Has(column)) mask |= 1L << column.Ordinal;
        }
        if (_groups.Count == 0 || _groups[^1].Mask != mask) _groups.Add(new Group(mask));
        _groups[^1].Changes.Add(record);
        Count++;
    }

    /// <summary>Sends every group in order; <paramref name="changed"/> gets each stored user; returns the ids that matched no user.</summary>
    public List<long> Run(IDbLink link, Action<User> changed, CancellationToken cancellation)
    {
        var missing = new List<long>();
        foreach (var group in _groups)
        {
            // Set one user twice in a group and the later change wins, as if run one by one.
            var last = new Dictionary<long, int>();
            for (int i = 0; i < group.Changes.Count; i++) last[group.Changes[i].Id!.Value] = i;
            var rows = last.OrderBy(p => p.Value).Select(p => group.Changes[p.Value]).ToList();
            var found = new HashSet<long>();
            foreach (var user in UserRows.Read(link, Statement(group.Mask, rows), cancellation))
            {
                found.Add(user.TelegramId);
                changed(user);
            }
            missing.AddRange(rows.Select(r => r.Id!.Value).Where(id => !found.Contains(id)));
        }
        _groups.Clear();
        Count = 0;
        return missing;
    }

    private static DbStatement Statement(long mask, List<UserRecord> rows)
    {
        var key = UserTable.Key;
        var args = new List<KeyValuePair<string, object?>>
        {
            new("ids", rows.Select(r => r.Id!.Value).ToArray()),
            new("ords", Enumerable.Range(0, rows.Count).ToArray()),
        };
        var names = new List<string>();
        var sets = new List<string>();
        foreach (var column in UserTable.Settable)
        {
            if ((mask & (1L << column.Ordinal)) == 0) continue;
            string name = "c" + column.Ordinal;
            names.Add(name);
            sets.Add($"{column.Name} = v.{name}");
            args.Add(new(name, TypedArray(column, rows.Select(r => r[column]))));
        }
        string parameters = string.Join(", ", names.Select(n => "@" + n));
        return new DbStatement($"""
            WITH v AS (SELECT * FROM unnest(@ids, @ords, {parameters}) AS v({key.Name}, ord, {string.Join(", ", names)})),
            w AS (UPDATE {UserTable.Name} u SET {string.Join(", ", sets)} FROM v WHERE u.{key.Name} = v.{key.Name}
                  RETURNING {UserTable.SelectFrom("u")}, v.ord)
            SELECT {UserTable.Select} FROM w ORDER BY ord
            """, args);
    }

    /// <summary>Arrays typed by column, so the server knows their element type even when every value is null.</summary>
    private static object TypedArray(TableColumn column, IEnumerable<object?> values) => column.Type switch
    {
        ColumnType.Timestamp => values.Select(v => (DateTime?)v).ToArray(),
        ColumnType.BigInt => values.Select(v => (long?)v).ToArray(),
        _ => values.Select(v => (string?)v).ToArray(),
    };

    private sealed class Group
    {
        public Group(long mask) => Mask = mask;
        public long Mask { get; }
        public List<UserRecord> Changes { get; } = new();
    }
}
