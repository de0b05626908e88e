namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    /// <summary>Get-DbUser streaming users ≥ 0.8 × raw Npgsql reading the same columns into typed objects.</summary>
    private void ReadUsers()
    {
        int n = _settings.Users;
        Expect(n, _ps.Scalar<int>("$n = 0; Get-DbUser | ForEach-Object { $n++ }; $n"), "Get-DbUser");
        Expect(n, _raw.ReadUsers(AllUsersSql), "raw reader");
        _ps.Set("prebuilt", _users.Take(n).ToArray());
        var seconds = Interleaved(
            () => _ps.Run("Get-DbUser | Out-Null"),
            () => _raw.ReadUsers(AllUsersSql),
            () => _ps.Run("Write-BenchObjects $prebuilt | Out-Null"));
        _ps.Set("prebuilt", null);
        _rows.Add(ResultRow.Throughput($"Get-DbUser, {n:N0} users → Out-Null", "raw Npgsql typed reader", n, seconds[0], seconds[1], 0.8));
        // What bounds the row above: PowerShell alone, handing objects that already exist to Out-Null.
        double floor = seconds[1] / seconds[2];
        _rows.Add(new ResultRow($"(reference) {n:N0} prebuilt objects → Out-Null, no database", ResultRow.Rate(n / seconds[2]),
            $"raw Npgsql typed reader: {ResultRow.Rate(n / seconds[1])}", ResultRow.Format($"{floor:0.00}× (ceiling for the row above)"), "—", "info"));
    }

    /// <summary>Invoke-DbQuery streaming six-column rows ≥ 0.5 × raw Npgsql GetValue per column.</summary>
    private void ReadGenericRows()
    {
        int n = _settings.GenericRows;
        string sql = $"SELECT telegram_id, full_name, username, language_code, created_at, referrer_id FROM users LIMIT {n}";
        _ps.Set("genericSql", sql);
        Expect(n, _ps.Scalar<int>("$n = 0; Invoke-DbQuery $genericSql | ForEach-Object { $n++ }; $n"), "Invoke-DbQuery");
        Expect(n, _raw.ReadGeneric(sql), "raw GetValue");
        var seconds = Interleaved(() => _ps.Run("Invoke-DbQuery $genericSql | Out-Null"), () => _raw.ReadGeneric(sql));
        _rows.Add(ResultRow.Throughput($"Invoke-DbQuery, {n:N0} 6-column rows → Out-Null", "raw Npgsql GetValue per column", n, seconds[0], seconds[1], 0.5));
    }
}
