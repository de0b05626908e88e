using System.Diagnostics;

namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    /// <summary>§6: users piped into Add-DbUser ≥ 0.7 × raw binary COPY and ≥ 20 × row-by-row INSERT.</summary>
    private void LoadUsers()
    {
        int n = _settings.LoadUsers;
        int small = _settings.RowByRowInserts;
        string operation = $"Add-DbUser, {n:N0} users piped in";
        var load = _users.Take(n).ToArray();

        Func<double> copy = () => Timed(() => _raw.Copy(load), n);
        Func<double> rowByRow = () => Timed(() => _raw.InsertRowByRow(load.Take(small)), small);
        if (!_ps.HasCommand("Add-DbUser"))
        {
            var baselines = InterleavedTimed(copy, rowByRow);
            _rows.Add(ResultRow.Missing(operation, $"raw binary COPY: {ResultRow.Rate(n / baselines[0])}", "≥ 0.7×"));
            _rows.Add(ResultRow.Missing("… same, vs row-by-row INSERT", $"raw INSERT per row ({small:N0}, scaled): {ResultRow.Rate(small / baselines[1])}", "≥ 20×"));
            return;
        }
        _ps.Set("benchUsers", load);
        var seconds = InterleavedTimed(() => Timed(() => _ps.Run("$benchUsers | Add-DbUser"), n), copy, rowByRow);
        double ours = seconds[0];
        _rows.Add(ResultRow.Throughput(operation, "raw binary COPY", n / ours, n / seconds[1], 0.7));
        _rows.Add(ResultRow.Throughput("… same, vs row-by-row INSERT", $"raw INSERT per row ({small:N0}, scaled)", n / ours, small / seconds[2], 20));
    }

    /// <summary>Empties the table (untimed), times the load, checks every row arrived.</summary>
    private double Timed(Action load, int expected)
    {
        _raw.Exec("TRUNCATE users");
        var clock = Stopwatch.StartNew();
        load();
        double seconds = clock.Elapsed.TotalSeconds;
        Expect(expected, _raw.Scalar("SELECT count(*) FROM users"), "load");
        return seconds;
    }
}
