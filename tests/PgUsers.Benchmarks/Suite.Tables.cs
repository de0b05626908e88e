using System.Management.Automation;
using Npgsql;
using NpgsqlTypes;

namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    private const string ItemsDdl = """
        DROP TABLE IF EXISTS bench_items, bench_wide;
        CREATE TABLE bench_items (id bigint, name text, qty integer, price double precision, active boolean, added timestamp);
        """;

    /// <summary>
    /// Write-DbTable: six-column [pscustomobject]s (piped, and given by name) ≥ 0.6 × raw binary COPY of the same values and ≥ 20 × the
    /// same objects piped to Invoke-DbQuery 'INSERT …' in one transaction; a 30-column table ≥ 0.5 × raw;
    /// the managed heap flat while a million rows stream through.
    /// </summary>
    private void WriteTables()
    {
        int n = _settings.LoadUsers;
        int small = _settings.RowByRowInserts;
        _raw.Exec(ItemsDdl + WideDdl());
        var items = Enumerable.Range(1, n).Select(Item).ToArray();
        _ps.Set("benchItems", items.Select(i => Custom(ItemNames, i)).ToArray());
        _ps.Set("benchFew", items.Take(small).Select(i => Custom(ItemNames, i)).ToArray());
        int wideRows = Math.Max(1, n / 4);
        var wide = Enumerable.Range(1, wideRows).Select(Wide).ToArray();
        _ps.Set("benchWide", wide.Select(w => Custom(WideNames, w)).ToArray());
        using var source = NpgsqlDataSource.Create(_raw.ConnectionString);
        try
        {
            var seconds = InterleavedTimed(
                () => TimedInto("bench_items", () => _ps.Run("$benchItems | Write-DbTable bench_items"), n),
                () => TimedInto("bench_items", () => RawCopy(source, "bench_items", ItemNames, ItemTypes, items), n),
                () => TimedInto("bench_items", () => _ps.Run(
                    "Use-DbSession { $benchFew | Invoke-DbQuery 'INSERT INTO bench_items VALUES (@id, @name, @qty, @price, @active, @added)' }"), small),
                () => TimedInto("bench_wide", () => _ps.Run("$benchWide | Write-DbTable bench_wide"), wideRows),
                () => TimedInto("bench_wide", () => RawCopy(source, "bench_wide", WideNames, WideTypes, wide), wideRows),
                // What bounds the first row: PowerShell binding each piped object to a cmdlet that then does nothing.
                () => Seconds(() => _ps.Run("$benchItems | Receive-BenchObjects")),
                // The same objects given by name: no parameter binding per object.
                () => TimedInto("bench_items", () => _ps.Run("Write-DbTable bench_items -InputObject $benchItems"), n));
            _rows.Add(ResultRow.Throughput($"Write-DbTable, {n:N0} six-column [pscustomobject]s", "raw binary COPY", n, seconds[0], seconds[1], 0.6));
            _rows.Add(ResultRow.Throughput("… same, vs Invoke-DbQuery 'INSERT …' per object", $"piped INSERT, one transaction ({small:N0}, scaled)",
                n / seconds[0], small / seconds[2], 20));
            _rows.Add(ResultRow.Throughput($"Write-DbTable, {wideRows:N0} 30-column [pscustomobject]s", "raw binary COPY", wideRows, seconds[3], seconds[4], 0.5));
            _rows.Add(ResultRow.Throughput($"Write-DbTable -InputObject, the same {n:N0} objects given by name", "raw binary COPY", n, seconds[6], seconds[1], 0.6));
            // The ceiling for Write-DbTable even with its COPY fully overlapped with the pipeline (BackgroundCopy).
            _rows.Add(new ResultRow($"(bound) {n:N0} objects piped to a cmdlet that does nothing",
                ResultRow.Rate(n / seconds[5]), $"raw binary COPY: {ResultRow.Rate(n / seconds[1])}",
                ResultRow.Format($"{seconds[1] / Math.Max(seconds[1], seconds[5]):0.00}× at best"), "—", "info"));
        }
        finally
        {
            _ps.Run("Remove-Variable benchItems, benchFew, benchWide -Scope Global -ErrorAction Ignore");
            GC.Collect();
        }

        // Objects made one at a time as the pipeline asks for them: only the load's own buffers can grow the heap.
        _raw.Exec("TRUNCATE bench_items");
        _ps.Set("lazyItems", Enumerable.Range(1, _settings.LoadUsers).Select(i => Custom(ItemNames, Item(i))));
        long peak = PeakHeapDuring(() => _ps.Run("$lazyItems | Write-DbTable bench_items"), out long before, out long livePeak);
        Expect(_settings.LoadUsers, _raw.Scalar("SELECT count(*) FROM bench_items"), "heap load");
        double growth = (peak - before) / 1048576.0, live = (livePeak - before) / 1048576.0;
        // The target is the live heap: what survives collections. The peak also counts the young generation's garbage.
        _rows.Add(new ResultRow($"Managed heap, {_settings.LoadUsers:N0} objects through Write-DbTable",
            ResultRow.Format($"+{live:0.0} MB live (+{growth:0.0} MB peak with garbage)"), ResultRow.Format($"process heap before: {before / 1048576.0:0.0} MB"),
            "—", "< 50 MB live", ResultRow.Verdict(live < 50)));
        _ps.Run("Remove-Variable lazyItems -Scope Global -ErrorAction Ignore");
        _raw.Exec("DROP TABLE bench_items, bench_wide");
    }

    private static readonly string[] ItemNames = { "id", "name", "qty", "price", "active", "added" };
    private static readonly NpgsqlDbType[] ItemTypes =
        { NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.Double, NpgsqlDbType.Boolean, NpgsqlDbType.Timestamp };

    private static object?[] Item(int i) =>
        new object?[] { (long)i, "item " + i, i % 1000, i * 0.25, i % 2 == 0, new DateTime(2024, 1, 1).AddSeconds(i) };

    // 30 columns: the six kinds above, five times over.
    private static readonly string[] WideNames = Enumerable.Range(0, 30).Select(c => $"c{c:00}").ToArray();
    private static readonly NpgsqlDbType[] WideTypes = Enumerable.Range(0, 30).Select(c => ItemTypes[c % 6]).ToArray();

    private static string WideDdl() => "CREATE TABLE bench_wide (" + string.Join(", ", Enumerable.Range(0, 30).Select(c =>
        $"c{c:00} " + new[] { "bigint", "text", "integer", "double precision", "boolean", "timestamp" }[c % 6])) + ");";

    private static object?[] Wide(int i)
    {
        var item = Item(i);
        return Enumerable.Range(0, 30).Select(c => item[c % 6]).ToArray();
    }

    private static PSObject Custom(string[] names, object?[] values)
    {
        var o = new PSObject();
        for (int i = 0; i < names.Length; i++) o.Properties.Add(new PSNoteProperty(names[i], values[i]));
        return o;
    }

    private static void RawCopy(NpgsqlDataSource source, string table, string[] names, NpgsqlDbType[] types, IEnumerable<object?[]> rows)
    {
        using var connection = source.OpenConnection();
        using var importer = connection.BeginBinaryImport($"COPY {table} ({string.Join(", ", names)}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            importer.StartRow();
            for (int i = 0; i < row.Length; i++) importer.Write(row[i], types[i]);
        }
        importer.Complete();
    }

    private double TimedInto(string table, Action load, int expected)
    {
        _raw.Exec("TRUNCATE " + table);
        double seconds = Seconds(load);
        Expect(expected, _raw.Scalar("SELECT count(*) FROM " + table), table);
        return seconds;
    }
}
