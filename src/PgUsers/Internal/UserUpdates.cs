namespace PgUsers.Internal;

/// <summary>
/// Set-DbUser's pending changes, grouped by the columns they set (in input order). Each group goes
/// to the server as one UPDATE ... FROM unnest(arrays): one round trip for thousands of users.
/// </summary>
internal sealed class UserUpdates
{
    /// <summary>The columns Set-DbUser can change; a change's mask has bit i set for Columns[i].</summary>
    public static readonly string[] Columns = { "full_name", "username", "language_code", "created_at", "referrer_id" };

    private readonly List<Group> _groups = new();

    public int Count { get; private set; }

    public void Add(int mask, long id, object?[] values)
    {
        if (_groups.Count == 0 || _groups[^1].Mask != mask) _groups.Add(new Group(mask));
        _groups[^1].Changes.Add((id, values));
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
            for (int i = 0; i < group.Changes.Count; i++) last[group.Changes[i].Id] = i;
            var rows = last.OrderBy(p => p.Value).Select(p => group.Changes[p.Value]).ToList();
            var found = new HashSet<long>();
            foreach (var user in link.ReadUsers(Statement(group.Mask, rows), withDepth: false, cancellation))
            {
                found.Add(user.TelegramId);
                changed(user);
            }
            missing.AddRange(rows.Select(r => r.Id).Where(id => !found.Contains(id)));
        }
        _groups.Clear();
        Count = 0;
        return missing;
    }

    private static DbStatement Statement(int mask, List<(long Id, object?[] Values)> rows)
    {
        var args = new List<KeyValuePair<string, object?>>
        {
            new("ids", rows.Select(r => r.Id).ToArray()),
            new("ords", Enumerable.Range(0, rows.Count).ToArray()),
        };
        var names = new List<string>();
        var sets = new List<string>();
        for (int c = 0; c < Columns.Length; c++)
        {
            if ((mask & (1 << c)) == 0) continue;
            names.Add("c" + c);
            sets.Add($"{Columns[c]} = v.c{c}");
            args.Add(new("c" + c, TypedArray(c, rows.Select(r => r.Values[c]))));
        }
        string parameters = string.Join(", ", names.Select(n => "@" + n));
        return new DbStatement($"""
            WITH v AS (SELECT * FROM unnest(@ids, @ords, {parameters}) AS v(telegram_id, ord, {string.Join(", ", names)})),
            w AS (UPDATE users u SET {string.Join(", ", sets)} FROM v WHERE u.telegram_id = v.telegram_id
                  RETURNING u.telegram_id, u.full_name, u.username, u.language_code, u.created_at, u.referrer_id, v.ord)
            SELECT {UserColumns.Select} FROM w ORDER BY ord
            """, args);
    }

    /// <summary>Arrays typed by column, so the server knows their element type even when every value is null.</summary>
    private static object TypedArray(int column, IEnumerable<object?> values) => Columns[column] switch
    {
        "created_at" => values.Select(v => (DateTime?)v).ToArray(),
        "referrer_id" => values.Select(v => (long?)v).ToArray(),
        _ => values.Select(v => (string?)v).ToArray(),
    };

    private sealed class Group
    {
        public Group(int mask) => Mask = mask;
        public int Mask { get; }
        public List<(long Id, object?[] Values)> Changes { get; } = new();
    }
}
