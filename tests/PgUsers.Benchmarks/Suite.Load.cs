using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    /// <summary>
    /// [pscustomobject] users piped into Add-DbUser: ≥ 0.6 × raw binary COPY and ≥ 20 × row-by-row
    /// INSERT; and a CSV file through Import-Csv into Add-DbUser beside Import-Csv alone.
    /// </summary>
    private void LoadUsers()
    {
        int n = _settings.LoadUsers;
        int small = _settings.RowByRowInserts;
        var load = _users.Take(n).ToArray();
        // What `[pscustomobject]@{ TelegramId = ...; ... }` makes: note properties on a PSCustomObject, built untimed.
        _ps.Set("benchUsers", load.Select(AsCustomObject).ToArray());
        string csv = WriteCsv(load);
        try
        {
            var seconds = InterleavedTimed(
                () => Timed(() => _ps.Run("$benchUsers | Add-DbUser"), n),
                () => Timed(() => _raw.Copy(load), n),
                () => Timed(() => _raw.InsertRowByRow(load.Take(small)), small),
                () => Timed(() => _ps.Run($"Import-Csv '{csv}' | Add-DbUser"), n),
                () => Seconds(() => _ps.Run($"Import-Csv '{csv}' | Out-Null")));
            _rows.Add(ResultRow.Throughput($"Add-DbUser, {n:N0} [pscustomobject] users piped in", "raw binary COPY", n, seconds[0], seconds[1], 0.6));
            _rows.Add(ResultRow.Throughput("… same, vs row-by-row INSERT", $"raw INSERT per row ({small:N0}, scaled)", n / seconds[0], small / seconds[2], 20));
            _rows.Add(ResultRow.Throughput($"Import-Csv | Add-DbUser, {n:N0} rows", "Import-Csv | Out-Null (reading alone)", n, seconds[3], seconds[4], 0.7));
        }
        finally
        {
            File.Delete(csv);
            // A million prebuilt objects would stay on the heap and slow every later group's collections.
            _ps.Run("Remove-Variable benchUsers -Scope Global -ErrorAction Ignore");
            GC.Collect();
        }
    }

    private static PSObject AsCustomObject(BenchUser user)
    {
        var o = new PSObject();
        o.Properties.Add(new PSNoteProperty(nameof(user.TelegramId), user.TelegramId));
        o.Properties.Add(new PSNoteProperty(nameof(user.FullName), user.FullName));
        o.Properties.Add(new PSNoteProperty(nameof(user.Username), user.Username));
        o.Properties.Add(new PSNoteProperty(nameof(user.LanguageCode), user.LanguageCode));
        o.Properties.Add(new PSNoteProperty(nameof(user.CreatedAt), user.CreatedAt));
        o.Properties.Add(new PSNoteProperty(nameof(user.ReferrerId), user.ReferrerId));
        return o;
    }

    /// <summary>The users as a CSV file with the table's column names, as Export-Csv of CSV-shaped rows writes it.</summary>
    private static string WriteCsv(IEnumerable<BenchUser> users)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pgusers-bench-{Guid.NewGuid():N}.csv");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine("\"telegram_id\",\"full_name\",\"username\",\"language_code\",\"created_at\",\"referrer_id\"");
        foreach (var u in users)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\"{u.TelegramId}\",\"{u.FullName}\",\"{u.Username}\",\"{u.LanguageCode}\",\"{u.CreatedAt:yyyy-MM-dd HH:mm:ss}\",\"{u.ReferrerId}\""));
        }
        return path;
    }

    /// <summary>Empties the table (untimed), times the load, checks every row arrived.</summary>
    private double Timed(Action load, int expected)
    {
        _raw.Exec("TRUNCATE users");
        double seconds = Seconds(load);
        Expect(expected, _raw.Scalar("SELECT count(*) FROM users"), "load");
        return seconds;
    }

    private static double Seconds(Action body)
    {
        var clock = Stopwatch.StartNew();
        body();
        return clock.Elapsed.TotalSeconds;
    }
}
