using System.Text.RegularExpressions;

namespace PgUsers.Internal;

/// <summary>
/// Add-DbUser's bulk load: binary COPY in batches into a temporary staging table, then one
/// INSERT ... SELECT into users. One statement means the foreign key is checked at its end, so a
/// referrer may come anywhere in the input; the staging table also gives upserts and read-back.
/// </summary>
internal sealed class UserLoad
{
    private static readonly Regex s_duplicateKey = new(@"\(telegram_id\)=\((-?\d+)\)", RegexOptions.CultureInvariant);
    private readonly IDbLink _link;
    private readonly string _staging = "pg_temp.\"pgusers_staging_" + Guid.NewGuid().ToString("N") + "\"";
    private readonly CancellationToken _cancellation;
    private bool _anyCreatedAt;
    private bool _anyWithoutCreatedAt;

    public UserLoad(IDbLink link, CancellationToken cancellation)
    {
        _link = link;
        _cancellation = cancellation;
        // LIKE users: the same types and defaults (created_at's), none of its keys; ord keeps input order.
        Run($"CREATE TEMP TABLE {_staging} (LIKE users INCLUDING DEFAULTS, ord bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP");
    }

    public long Sent { get; private set; }

    public void Copy(List<User> batch)
    {
        if (batch.Count == 0) return;
        foreach (var user in batch)
        {
            if (user.CreatedAt is null) _anyWithoutCreatedAt = true;
            else _anyCreatedAt = true;
        }
        Sent += _link.CopyUsers(_staging, batch, _cancellation);
        batch.Clear();
    }

    /// <summary>Moves the staged users into users; returns (inserted, updated).</summary>
    public (long Inserted, long Updated) Insert(UserConflictAction onConflict)
    {
        const string Plain = "telegram_id, full_name, username, language_code, referrer_id";
        string columns = Plain;
        if (onConflict != UserConflictAction.Update && _anyCreatedAt)
        {
            // Rows without created_at get the column's own default, evaluated by the server.
            if (_anyWithoutCreatedAt) Run($"UPDATE {_staging} SET created_at = DEFAULT WHERE created_at IS NULL");
            columns += ", created_at";
        }
        string insert = onConflict switch
        {
            UserConflictAction.Skip => $"INSERT INTO users ({columns}) SELECT {columns} FROM {_staging} ORDER BY ord ON CONFLICT (telegram_id) DO NOTHING",
            UserConflictAction.Update => $"""
                INSERT INTO users ({columns}) SELECT DISTINCT ON (telegram_id) {columns} FROM {_staging} ORDER BY telegram_id, ord DESC
                ON CONFLICT (telegram_id) DO UPDATE SET full_name = EXCLUDED.full_name, username = EXCLUDED.username,
                    language_code = EXCLUDED.language_code, referrer_id = EXCLUDED.referrer_id
                """,
            // Input order matters only for Skip's "first wins"; sorting a million staged rows is not free.
            _ => $"INSERT INTO users ({columns}) SELECT {columns} FROM {_staging}",
        };
        // xmax = 0 marks a freshly inserted row; an upsert's updated rows carry our xid there.
        object?[] counts;
        using (var reader = _link.ExecuteReader(new DbStatement(
            $"WITH w AS ({insert} RETURNING (xmax = 0) AS inserted) SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w"), _cancellation))
        {
            reader.Read();
            counts = reader.GetValues();
        }
        if (onConflict == UserConflictAction.Update && _anyCreatedAt)
        {
            // An upsert changes created_at only where the input gave one; the rest keep theirs.
            Run($"""
                UPDATE users u SET created_at = s.created_at
                FROM (SELECT DISTINCT ON (telegram_id) telegram_id, created_at FROM {_staging} ORDER BY telegram_id, ord DESC) s
                WHERE u.telegram_id = s.telegram_id AND s.created_at IS NOT NULL
                """);
        }
        return (Convert.ToInt64(counts[0]), Convert.ToInt64(counts[1]));
    }

    /// <summary>The stored users for every input id, in input order (first appearance).</summary>
    public IEnumerable<User> ReadBack() => _link.ReadUsers(new DbStatement($"""
        SELECT u.telegram_id, u.full_name, u.username, u.language_code, u.created_at, u.referrer_id
        FROM (SELECT telegram_id, min(ord) AS ord FROM {_staging} GROUP BY telegram_id) s
        JOIN users u USING (telegram_id) ORDER BY s.ord
        """), withDepth: false, _cancellation);

    public void Drop() => Run($"DROP TABLE IF EXISTS {_staging}");

    /// <summary>The id a unique violation names, when the server's detail says it.</summary>
    public static long? DuplicateId(DbSqlException e) =>
        e.SqlState == "23505" && e.Detail is { } detail && s_duplicateKey.Match(detail) is { Success: true } m ? long.Parse(m.Groups[1].Value) : null;

    private void Run(string sql) => _link.ExecuteNonQuery(new DbStatement(sql), _cancellation);
}
