using System.Text.RegularExpressions;

namespace PgUsers.Users;

/// <summary>
/// Add-DbUser's bulk load, one COPY statement fed while the pipeline runs.
/// <list type="bullet">
/// <item>Plain adds (-OnConflict Error, no -PassThru) COPY straight into users. The self-referencing
/// foreign key is checked at the end of that one statement, so a referrer may come anywhere in the input.</item>
/// <item>Skip, Update and -PassThru COPY into a temporary staging table, then move the rows into users
/// in one statement (the key is checked at its end too).</item>
/// </list>
/// </summary>
internal sealed class UserLoad : IDisposable
{
    private static readonly Regex s_key = new(@"\((\w+)\)=\((-?\d+)\)", RegexOptions.CultureInvariant);
    private const string Present = "present";
    private readonly IDbLink _link;
    private readonly bool _staged;
    private readonly string _target;
    private readonly CancellationToken _cancellation;
    private readonly object?[] _defaults;
    private BackgroundCopy? _copy;

    public UserLoad(IDbLink link, bool staged, CancellationToken cancellation)
    {
        _link = link;
        _staged = staged;
        _cancellation = cancellation;
        _target = staged ? "pg_temp.\"pgusers_staging_" + Guid.NewGuid().ToString("N") + "\"" : UserTable.Name;
        _defaults = Defaults();
        if (staged)
        {
            // The users columns and defaults without its keys; ord is the input record's number, present which columns it gave.
            Run($"CREATE TEMP TABLE {_target} (LIKE {UserTable.Name} INCLUDING DEFAULTS, {Present} bigint, ord bigint) ON COMMIT DROP");
        }
        var columns = UserTable.Columns.Select(c => new CopyColumn(c.Name, c.Type)).ToList();
        if (staged)
        {
            columns.Add(new CopyColumn(Present, ColumnType.BigInt));
            columns.Add(new CopyColumn("ord", ColumnType.BigInt));
        }
        _copy = new BackgroundCopy(link, _target, columns, cancellation);
    }

    /// <summary>Queues a valid record; a column it did not carry gets the column's default.</summary>
    public void Add(UserRecord record)
    {
        var values = record.Values;
        long present = 0;
        var row = _staged ? new object?[values.Length + 2] : values;
        for (int i = 0; i < values.Length; i++)
        {
            if (ReferenceEquals(values[i], ColumnValues.Absent)) row[i] = _defaults[i];
            else
            {
                row[i] = values[i];
                present |= 1L << i;
            }
        }
        if (_staged)
        {
            row[^2] = present;
            row[^1] = record.Number;
        }
        _copy!.Add(row);
    }

    /// <summary>Ends the COPY and, when staged, moves the rows into users; returns (inserted, updated).</summary>
    public (long Inserted, long Updated) Finish(UserConflictAction onConflict)
    {
        long copied = EndCopy();
        if (!_staged) return (copied, 0);
        var key = UserTable.Key.Name;
        string columns = UserTable.Select;
        string sql = onConflict switch
        {
            UserConflictAction.Skip => $"""
                WITH ins AS (INSERT INTO {UserTable.Name} ({columns}) SELECT {columns} FROM {_target} ORDER BY ord ON CONFLICT ({key}) DO NOTHING RETURNING 1)
                SELECT count(*), 0 FROM ins
                """,
            // One statement: the UPDATE cannot see the rows the INSERT adds (one snapshot), so it changes
            // exactly the users that were there before; each keeps the columns its record did not give.
            UserConflictAction.Update => $"""
                WITH s AS (SELECT DISTINCT ON ({key}) * FROM {_target} ORDER BY {key}, ord DESC),
                ins AS (INSERT INTO {UserTable.Name} ({columns}) SELECT {columns} FROM s ON CONFLICT ({key}) DO NOTHING RETURNING 1),
                upd AS (UPDATE {UserTable.Name} u SET {string.Join(", ", UserTable.Settable.Select(c => $"{c.Name} = CASE WHEN s.{Present} & {1L << c.Ordinal} <> 0 THEN s.{c.Name} ELSE u.{c.Name} END"))}
                        FROM s WHERE u.{key} = s.{key} RETURNING 1)
                SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd)
                """,
            _ => $"""
                WITH ins AS (INSERT INTO {UserTable.Name} ({columns}) SELECT {columns} FROM {_target} RETURNING 1)
                SELECT count(*), 0 FROM ins
                """,
        };
        object?[] counts;
        using (var reader = _link.ExecuteReader(new DbStatement(sql), _cancellation))
        {
            reader.Read();
            counts = reader.GetValues();
        }
        return (Convert.ToInt64(counts[0]), Convert.ToInt64(counts[1]));
    }

    private long EndCopy()
    {
        if (_copy is null) return 0;
        long copied = _copy.Complete();
        _copy.Dispose();
        _copy = null;
        return copied;
    }

    /// <summary>
    /// For -SkipInvalid (staged): takes out of the load the records whose id is already in users, then,
    /// until none is left, those whose referrer is neither in users nor in what remains of the load.
    /// Returns each one taken out, in input order.
    /// </summary>
    public List<(long Record, long Id, long? Referrer)> TakeOutConflicts()
    {
        EndCopy();
        var (key, by, users) = (UserTable.Key.Name, UserTable.Referrer.Name, UserTable.Name);
        var taken = new List<(long, long, long?)>();
        taken.AddRange(TakeOut($"DELETE FROM {_target} s USING {users} u WHERE s.{key} = u.{key} RETURNING s.ord, s.{key}, NULL::bigint"));
        while (true)
        {
            var dangling = TakeOut($"""
                DELETE FROM {_target} s WHERE s.{by} IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM {users} u WHERE u.{key} = s.{by})
                AND NOT EXISTS (SELECT 1 FROM {_target} t WHERE t.{key} = s.{by})
                RETURNING s.ord, s.{key}, s.{by}
                """);
            if (dangling.Count == 0) break;
            taken.AddRange(dangling);
        }
        taken.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return taken;
    }

    private List<(long, long, long?)> TakeOut(string sql)
    {
        var rows = new List<(long, long, long?)>();
        using var reader = _link.ExecuteReader(new DbStatement(sql), _cancellation);
        while (reader.Read())
        {
            var v = reader.GetValues();
            rows.Add(((long)v[0]!, (long)v[1]!, (long?)v[2]));
        }
        return rows;
    }

    /// <summary>The stored users for every input id, in input order (first appearance); staged loads only.</summary>
    public IEnumerable<User> ReadBack() => UserRows.Read(_link, new DbStatement($"""
        SELECT {UserTable.SelectFrom("u")}
        FROM (SELECT {UserTable.Key.Name}, min(ord) AS ord FROM {_target} GROUP BY {UserTable.Key.Name}) s
        JOIN {UserTable.Name} u USING ({UserTable.Key.Name}) ORDER BY s.ord
        """), _cancellation);

    public void Drop()
    {
        if (_staged) Run($"DROP TABLE IF EXISTS {_target}");
    }

    /// <summary>The column and key value a unique or foreign-key violation names, when the server's detail says them.</summary>
    public static (string Column, long Value)? Violation(DbSqlException e) =>
        e.SqlState is "23505" or "23503" && e.Detail is { } detail && s_key.Match(detail) is { Success: true } m
            ? (m.Groups[1].Value, long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            : null;

    /// <summary>Each column's default as the server computes it now (NOW() is the transaction's start, as the column default would give).</summary>
    private object?[] Defaults()
    {
        var defaults = new object?[UserTable.Columns.Length];
        var withDefault = UserTable.Columns.Where(c => c.DefaultSql is not null).ToArray();
        if (withDefault.Length == 0) return defaults;
        using var reader = _link.ExecuteReader(new DbStatement("SELECT " + string.Join(", ", withDefault.Select(c => $"({c.DefaultSql})::{c.SqlType}"))), _cancellation);
        reader.Read();
        var values = reader.GetValues();
        for (int i = 0; i < withDefault.Length; i++) defaults[withDefault[i].Ordinal] = values[i];
        return defaults;
    }

    private void Run(string sql) => _link.ExecuteNonQuery(new DbStatement(sql), _cancellation);

    /// <summary>Abandons an unfinished COPY; the transaction it ran in is rolled back by its owner.</summary>
    public void Dispose() => _copy?.Dispose();
}
