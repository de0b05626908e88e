using System.Diagnostics;

namespace PgUsers.Benchmarks;

/// <summary>Median timing: one warm-up (JIT, caches, pool), then several timed runs.</summary>
internal static class Measure
{
    /// <summary>Median seconds of <paramref name="runs"/> runs of <paramref name="body"/> after one warm-up.</summary>
    public static double Median(int runs, Action body) => MedianOfTimed(runs, () =>
    {
        var clock = Stopwatch.StartNew();
        body();
        return clock.Elapsed.TotalSeconds;
    });

    /// <summary>As above, for bodies that return their own seconds (to leave their setup out).</summary>
    public static double MedianOfTimed(int runs, Func<double> timedBody)
    {
        timedBody();
        var seconds = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            seconds[i] = timedBody();
        }
        Array.Sort(seconds);
        return runs % 2 == 1 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2;
    }
}
