using Npgsql;

namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    private const string CopyDatabase = "pgusers_bench_copy";

    /// <summary>
    /// Copy-DbTable of the users table into the same table in a second database: ≥ 0.8 × raw Npgsql's binary
    /// COPY TO STDOUT piped (Stream.CopyTo) into COPY FROM STDIN, one transaction, in this process.
    /// Both sides load a table with the users table's keys and foreign key, emptied untimed before each run.
    /// </summary>
    private void CopyTable()
    {
        int n = _settings.Users;
        _raw.Exec($"DROP DATABASE IF EXISTS {CopyDatabase} WITH (FORCE)");
        _raw.Exec($"CREATE DATABASE {CopyDatabase}");
        var target = new NpgsqlConnectionStringBuilder(_raw.ConnectionString) { Database = CopyDatabase }.ConnectionString;
        using var source = NpgsqlDataSource.Create(_raw.ConnectionString);
        using var destination = NpgsqlDataSource.Create(target);
        try
        {
            _raw.Exec("TRUNCATE users");
            _raw.Copy(_users.Take(n));
            _raw.Exec("VACUUM ANALYZE users");
            _ps.Run($"$copyEngine = New-DbEngine (New-DbUrl -Url $benchUrl -Database {CopyDatabase}) -Name benchcopy; Initialize-DbUserTable -Engine $copyEngine");
            string columns = $"users ({CsvColumns})";
            var seconds = InterleavedTimed(
                () => CopyTimed(destination, n, () => _ps.Run("Copy-DbTable users -Engine $engine -Destination $copyEngine | Out-Null")),
                () => CopyTimed(destination, n, () => RawCopyBetween(source, destination,
                    $"COPY {columns} TO STDOUT (FORMAT binary)", $"COPY {columns} FROM STDIN (FORMAT binary)")));
            _rows.Add(ResultRow.Throughput($"Copy-DbTable, {n:N0} users into another database", "raw COPY TO STDOUT → COPY FROM STDIN (binary)", n, seconds[0], seconds[1], 0.8));

            // The foreign key's checks take most of the time above; without keys the pipe itself shows.
            using (var plain = destination.CreateCommand("CREATE TABLE plain (LIKE users)")) plain.ExecuteNonQuery();
            seconds = InterleavedTimed(
                () => CopyTimed(destination, n, () => _ps.Run("Copy-DbTable users -Engine $engine -Destination $copyEngine -DestinationTable plain | Out-Null"), "plain"),
                () => CopyTimed(destination, n, () => RawCopyBetween(source, destination,
                    $"COPY {columns} TO STDOUT (FORMAT binary)", $"COPY plain ({CsvColumns}) FROM STDIN (FORMAT binary)"), "plain"));
            _rows.Add(ResultRow.Throughput("(diagnostic) … same, into a table without keys", "raw COPY TO STDOUT → COPY FROM STDIN (binary)", n, seconds[0], seconds[1], 0.8));
        }
        finally
        {
            _ps.Run("Remove-DbEngine $copyEngine -ErrorAction Ignore");
            _raw.Exec($"DROP DATABASE IF EXISTS {CopyDatabase} WITH (FORCE)");
        }
    }

    /// <summary>Empties the destination (untimed), times the copy, checks every row arrived.</summary>
    private static double CopyTimed(NpgsqlDataSource destination, int expected, Action copy, string table = "users")
    {
        using (var truncate = destination.CreateCommand($"TRUNCATE {table}")) truncate.ExecuteNonQuery();
        double seconds = Seconds(copy);
        using var count = destination.CreateCommand($"SELECT count(*) FROM {table}");
        Expect(expected, Convert.ToInt64(count.ExecuteScalar()), "copy");
        return seconds;
    }

    /// <summary>What a C# program does by hand: the source's raw binary COPY stream copied into the destination's, in one transaction.</summary>
    private static void RawCopyBetween(NpgsqlDataSource source, NpgsqlDataSource destination, string copyOut, string copyIn)
    {
        using var from = source.OpenConnection();
        using var to = destination.OpenConnection();
        using var transaction = to.BeginTransaction();
        using (var input = to.BeginRawBinaryCopy(copyIn))
        {
            using var output = from.BeginRawBinaryCopy(copyOut);
            output.CopyTo(input);
        }
        transaction.Commit();
    }
}
