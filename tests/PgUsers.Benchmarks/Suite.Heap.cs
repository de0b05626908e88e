namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    /// <summary>streaming millions of rows through Invoke-DbQuery raises the managed heap by &lt; 50 MB.</summary>
    private void HeapWhileStreaming()
    {
        int n = _settings.HeapRows;
        _ps.Set("heapSql", $"SELECT g AS id, 'name ' || g AS name, g % 7 AS bucket, now() AS at, (g % 3 = 0) AS flag, NULL::text AS empty FROM generate_series(1, {n}) AS g");
        _ps.Run("Invoke-DbQuery $heapSql | Select-Object -First 10 | Out-Null");
        long peak = PeakHeapDuring(() => _ps.Run("Invoke-DbQuery $heapSql | Out-Null"), out long before);
        double growth = (peak - before) / 1048576.0;
        double retained = Math.Max(0, Baseline() - before) / 1048576.0;
        _rows.Add(new ResultRow($"Managed heap, {n:N0} rows through Invoke-DbQuery → Out-Null",
            ResultRow.Format($"+{growth:0.0} MB peak (+{retained:0.0} MB after GC)"), ResultRow.Format($"process heap before: {before / 1048576.0:0.0} MB"),
            "—", "< 50 MB", ResultRow.Verdict(growth < 50)));
    }

    /// <summary>The highest managed heap size seen while <paramref name="body"/> runs, sampled every 5 ms.</summary>
    private static long PeakHeapDuring(Action body, out long before) => PeakHeapDuring(body, out before, out _);

    /// <summary>
    /// The highest managed heap size seen while <paramref name="body"/> runs, sampled every 5 ms: garbage not yet
    /// collected included. <paramref name="livePeak"/> is the highest heap left after any collection in that time
    /// (heap size less fragmentation, as each GC ended): what the work kept alive, without the young generation's
    /// garbage, whose budget the runtime sizes for itself.
    /// </summary>
    private static long PeakHeapDuring(Action body, out long before, out long livePeak)
    {
        before = Baseline();
        long peak = before, live = before;
        long lastGc = GC.GetGCMemoryInfo().Index;
        using var done = new ManualResetEventSlim();
        void Sample()
        {
            peak = Math.Max(peak, GC.GetTotalMemory(false));
            var gc = GC.GetGCMemoryInfo();
            if (gc.Index == lastGc) return;
            lastGc = gc.Index;
            live = Math.Max(live, gc.HeapSizeBytes - gc.FragmentedBytes);
        }
        var sampler = new Thread(() =>
        {
            while (!done.Wait(5)) Sample();
        }) { IsBackground = true };
        sampler.Start();
        try
        {
            body();
        }
        finally
        {
            done.Set();
            sampler.Join();
        }
        livePeak = live;
        return peak;
    }

    private static long Baseline()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
