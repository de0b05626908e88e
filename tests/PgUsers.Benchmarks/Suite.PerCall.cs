namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    /// <summary>
    /// Per-call cost of a small query ≤ 1.3 × (raw pooled Npgsql + an empty cmdlet call), and
    /// ≥ 10 × faster than a new unpooled connection per call. Both PowerShell loops are the same script.
    /// </summary>
    private void PerCall()
    {
        int n = _settings.Calls;
        string Loop(string call) => $"for ($i = 0; $i -lt {n}; $i++) {{ $null = {call} }}";
        Expect(1, _ps.Scalar<int>("Invoke-DbQuery 'SELECT 1' -Scalar"), "Invoke-DbQuery -Scalar");

        var seconds = Interleaved(
            () => _ps.Run(Loop("Invoke-DbQuery 'SELECT 1' -Scalar")),
            () => _ps.Run(Loop("Invoke-BenchEmpty 'SELECT 1' -Scalar")),
            () => _raw.ScalarPooled(n),
            () => _raw.ScalarUnpooled(_settings.UnpooledCalls));
        double ours = seconds[0] / n, empty = seconds[1] / n, pooled = seconds[2] / n;
        double unpooled = seconds[3] / _settings.UnpooledCalls;

        double cost = ours / (pooled + empty);
        _rows.Add(new ResultRow($"Invoke-DbQuery 'SELECT 1' -Scalar, {n:N0} calls", ResultRow.PerCall(ours),
            ResultRow.Format($"raw pooled {pooled * 1e6:0.0} + empty cmdlet {empty * 1e6:0.0} = {(pooled + empty) * 1e6:0.0} µs/call"),
            ResultRow.Format($"{cost:0.00}× cost"), "≤ 1.3×", ResultRow.Verdict(cost <= 1.3)));
        double speedup = unpooled / ours;
        _rows.Add(new ResultRow($"… same, vs a new connection per call", ResultRow.PerCall(ours),
            $"unpooled Npgsql ({_settings.UnpooledCalls:N0} calls): {ResultRow.PerCall(unpooled)}",
            ResultRow.Format($"{speedup:0.0}× faster"), "≥ 10× faster", ResultRow.Verdict(speedup >= 10)));
    }
}
