using System.Diagnostics;

namespace PgUsers.Benchmarks;

/// <summary>
/// Median timing: one warm-up each (JIT, caches, pool), then several runs. The operations compared in
/// one row take turns run by run, so a load spike on a shared machine hits both sides, not one.
/// </summary>
internal static class Measure
{
    /// <summary>Median seconds of each action over <paramref name="runs"/> interleaved runs.</summary>
    public static double[] Interleaved(int runs, params Action[] bodies) =>
        InterleavedTimed(runs, bodies.Select(Timed).ToArray());

    /// <summary>As above, for bodies that return their own seconds (to leave their setup out).</summary>
    public static double[] InterleavedTimed(int runs, params Func<double>[] timedBodies)
    {
        foreach (var body in timedBodies) body();
        var seconds = timedBodies.Select(_ => new double[runs]).ToArray();
        for (int run = 0; run < runs; run++)
        {
            for (int i = 0; i < timedBodies.Length; i++) seconds[i][run] = timedBodies[i]();
        }
        return seconds.Select(Median).ToArray();
    }

    /// <summary>A body as one that returns its own seconds, to take turns with bodies that time themselves.</summary>
    public static Func<double> Timed(Action body) => () =>
    {
        var clock = Stopwatch.StartNew();
        body();
        return clock.Elapsed.TotalSeconds;
    };

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
