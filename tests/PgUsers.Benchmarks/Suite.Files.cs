namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    private const string CsvColumns = "telegram_id, full_name, username, language_code, created_at, referrer_id";

    /// <summary>
    /// CSV files: Export-DbCsv ≥ 0.8 × raw COPY TO STDOUT into a file and ≥ 5 × Get-DbUser | Export-Csv;
    /// Import-DbCsv ≥ 0.8 × raw text COPY of the same file into users (its self-referencing foreign key,
    /// referrers on later lines) and ≥ 5 × Import-Csv | Add-DbUser; the heap stays flat on the import.
    /// </summary>
    private void CsvFiles()
    {
        int n = _settings.Users;
        int piped = Math.Min(_settings.CsvPipedUsers, n);
        string folder = Directory.CreateTempSubdirectory("pgusers-bench-csv-").FullName;
        try
        {
            _raw.Exec("TRUNCATE users");
            _raw.Copy(_users.Take(n));
            _raw.Exec("VACUUM ANALYZE users");
            ExportCsv(folder, n, piped);
            ImportCsv(folder, n, piped);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private void ExportCsv(string folder, int n, int piped)
    {
        string ours = Path.Combine(folder, "export-ours.csv");
        string raw = Path.Combine(folder, "export-raw.csv");
        string objects = Path.Combine(folder, "export-objects.csv");
        _ps.Set("csvOurs", ours);
        _ps.Set("csvObjects", objects);
        _ps.Set("csvPiped", piped);
        var seconds = Interleaved(
            () => Expect(n, _ps.Scalar<long>("(Export-DbCsv $csvOurs -Table users).Rows"), "Export-DbCsv"),
            () => _raw.CopyFileOut("COPY users TO STDOUT (FORMAT csv, HEADER)", raw),
            () => _ps.Run("Get-DbUser -First $csvPiped | Export-Csv $csvObjects"),
            () => _raw.CopyFileOut("COPY users TO STDOUT (FORMAT csv, HEADER, FORCE_QUOTE (full_name, username, language_code))", raw));
        _rows.Add(ResultRow.Throughput($"Export-DbCsv, {n:N0} users → file", "raw COPY users TO STDOUT → file", n, seconds[0], seconds[1], 0.8));
        // What Export-DbCsv asks the server for: the text columns quoted, so Import-Csv keeps their leading spaces.
        _rows.Add(ResultRow.Throughput("(diagnostic) … same, vs raw COPY with Export-DbCsv's FORCE_QUOTE", "raw COPY … FORCE_QUOTE (text columns) → file", n, seconds[0], seconds[3], 0.8));
        _rows.Add(ResultRow.Throughput("… same, vs Get-DbUser | Export-Csv", $"Get-DbUser | Export-Csv ({piped:N0}, scaled)", n / seconds[0], piped / seconds[2], 5));
    }

    private void ImportCsv(string folder, int n, int piped)
    {
        // Newest first, so every referrer comes on a later line than the users it referred.
        string file = Path.Combine(folder, "users.csv");
        string small = Path.Combine(folder, "users-small.csv");
        _raw.CopyFileOut($"COPY (SELECT {CsvColumns} FROM users ORDER BY telegram_id DESC) TO STDOUT (FORMAT csv, HEADER)", file);
        _raw.CopyFileOut($"COPY (SELECT {CsvColumns} FROM users WHERE telegram_id <= {piped} ORDER BY telegram_id DESC) TO STDOUT (FORMAT csv, HEADER)", small);
        _ps.Set("csvFile", file);
        _ps.Set("csvSmall", small);
        string copy = $"COPY users ({CsvColumns}) FROM STDIN (FORMAT csv, HEADER)";
        var seconds = InterleavedTimed(
            () => Timed(() => _ps.Run("Import-DbCsv $csvFile -Table users | Out-Null"), n),
            () => Timed(() => _raw.CopyFileIn(copy, file), n),
            () => Timed(() => _ps.Run("Import-Csv $csvSmall | Add-DbUser"), piped));
        _rows.Add(ResultRow.Throughput($"Import-DbCsv, {n:N0} users ({new FileInfo(file).Length / 1048576.0:0} MB file)", "raw Npgsql text COPY of the file", n, seconds[0], seconds[1], 0.8));
        _rows.Add(ResultRow.Throughput("… same, vs Import-Csv | Add-DbUser", $"Import-Csv | Add-DbUser ({piped:N0}, scaled)", n / seconds[0], piped / seconds[2], 5));
        ImportGzip(file, n, copy);
        ImportHeap(file, n);
    }

    /// <summary>The same file as .gz: Import-DbCsv checks every member's CRC-32 and length; the baseline reads it through GZipStream, which checks neither an early end nor, with its own message, a bad check.</summary>
    private void ImportGzip(string file, int n, string copy)
    {
        string gz = file + ".gz";
        using (var source = File.OpenRead(file))
        using (var target = new System.IO.Compression.GZipStream(File.Create(gz), System.IO.Compression.CompressionLevel.Fastest))
        {
            source.CopyTo(target);
        }
        _ps.Set("csvGz", gz);
        var seconds = InterleavedTimed(
            () => Timed(() => _ps.Run("Import-DbCsv $csvGz -Table users | Out-Null"), n),
            () => Timed(() => _raw.CopyFileIn(copy, gz, gzip: true), n));
        _rows.Add(ResultRow.Throughput($"Import-DbCsv of the file as .gz ({new FileInfo(gz).Length / 1048576.0:0} MB), strict", "raw text COPY of the .gz through GZipStream", n, seconds[0], seconds[1], 0.8));
    }

    /// <summary>The managed heap while Import-DbCsv streams the file: it should not grow with the file.</summary>
    private void ImportHeap(string file, int n)
    {
        _raw.Exec("TRUNCATE users");
        long peak = PeakHeapDuring(() => _ps.Run("Import-DbCsv $csvFile -Table users | Out-Null"), out long before);
        Expect(n, _raw.Scalar("SELECT count(*) FROM users"), "Import-DbCsv (heap)");
        double growth = (peak - before) / 1048576.0;
        double fileMb = new FileInfo(file).Length / 1048576.0;
        _rows.Add(new ResultRow($"Managed heap, Import-DbCsv of a {fileMb:0} MB file",
            ResultRow.Format($"+{growth:0.0} MB peak"), ResultRow.Format($"process heap before: {before / 1048576.0:0.0} MB"),
            "—", "< 50 MB", ResultRow.Verdict(growth < 50)));
    }
}
