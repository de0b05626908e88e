using Npgsql;

namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    /// <summary>
    /// Per-call cost of a small query ≤ 1.3 × (raw pooled Npgsql + an empty cmdlet call), with the raw pooled
    /// loop timed both here and in a process of its own; no slower than the same cmdlet loop on one open
    /// connection (SimplySql's way); ≥ 10 × faster than a new unpooled connection per call. The PowerShell loops
    /// are the same script. A reference row shows what Npgsql's reset on return (DISCARD ALL) costs the raw loop.
    /// </summary>
    private void PerCall()
    {
        int n = _settings.Calls;
        string Loop(string call) => $"for ($i = 0; $i -lt {n}; $i++) {{ $null = {call} }}";
        Expect(1, _ps.Scalar<int>("Invoke-DbQuery 'SELECT 1' -Scalar"), "Invoke-DbQuery -Scalar");

        using var open = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_raw.ConnectionString) { Pooling = false }.ConnectionString);
        open.Open();
        InvokeBenchOpenConnectionCommand.Connection = open;
        Expect(1, _ps.Scalar<int>("Invoke-BenchOpenConnection 'SELECT 1' -Scalar"), "Invoke-BenchOpenConnection");

        double[] seconds;
        try
        {
            seconds = InterleavedTimed(
                Measure.Timed(() => _ps.Run(Loop("Invoke-DbQuery 'SELECT 1' -Scalar"))),
                Measure.Timed(() => _ps.Run(Loop("Invoke-BenchEmpty 'SELECT 1' -Scalar"))),
                Measure.Timed(() => _raw.ScalarPooled(n)),
                () => RawProcess.Measure(_raw.ConnectionString, n),
                Measure.Timed(() => _ps.Run(Loop("Invoke-BenchOpenConnection 'SELECT 1' -Scalar"))),
                Measure.Timed(() => _raw.ScalarUnpooled(_settings.UnpooledCalls)),
                Measure.Timed(() => _raw.ScalarPooledWithoutReset(n)));
        }
        finally
        {
            InvokeBenchOpenConnectionCommand.Connection = null;
        }
        double ours = seconds[0] / n, empty = seconds[1] / n, pooled = seconds[2] / n, pooledAlone = seconds[3] / n;
        double oneConnection = seconds[4] / n, unpooled = seconds[5] / _settings.UnpooledCalls, pooledNoReset = seconds[6] / n;

        string operation = $"Invoke-DbQuery 'SELECT 1' -Scalar, {n:N0} calls";
        _rows.Add(CostRow(operation, ours, "raw pooled", pooled, empty));
        _rows.Add(CostRow("… same, raw pooled loop in its own process", ours, "raw pooled (own process)", pooledAlone, empty));
        double asFast = oneConnection / ours;
        _rows.Add(new ResultRow("… same, vs one open connection (SimplySql's way)", ResultRow.PerCall(ours),
            $"empty cmdlet + ExecuteScalar on one open connection: {ResultRow.PerCall(oneConnection)}",
            ResultRow.Format($"{asFast:0.00}× as fast"), "≥ 1.0×", ResultRow.Verdict(asFast >= 1.0)));
        // What a pooled checkout costs beyond one open connection is mostly the server running DISCARD ALL.
        _rows.Add(new ResultRow("(reference) raw pooled loop without the reset on return", ResultRow.PerCall(pooledNoReset),
            $"raw pooled, DISCARD ALL per checkout (Npgsql's default): {ResultRow.PerCall(pooled)}",
            ResultRow.Format($"{pooled / pooledNoReset:0.00}× faster"), "—", "info"));
        double speedup = unpooled / ours;
        _rows.Add(new ResultRow("… same, vs a new connection per call", ResultRow.PerCall(ours),
            $"unpooled Npgsql ({_settings.UnpooledCalls:N0} calls): {ResultRow.PerCall(unpooled)}",
            ResultRow.Format($"{speedup:0.0}× faster"), "≥ 10× faster", ResultRow.Verdict(speedup >= 10)));
    }

    /// <summary>Ours over (raw + empty cmdlet): what the module adds to a call that PowerShell and Npgsql must make anyway.</summary>
    private static ResultRow CostRow(string operation, double ours, string rawName, double raw, double empty)
    {
        double cost = ours / (raw + empty);
        return new ResultRow(operation, ResultRow.PerCall(ours),
            ResultRow.Format($"{rawName} {raw * 1e6:0.0} + empty cmdlet {empty * 1e6:0.0} = {(raw + empty) * 1e6:0.0} µs/call"),
            ResultRow.Format($"{cost:0.00}× cost"), "≤ 1.3×", ResultRow.Verdict(cost <= 1.3));
    }
}
