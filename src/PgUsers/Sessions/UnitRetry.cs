using System.Management.Automation;

namespace PgUsers.Sessions;

/// <summary>When a unit of work may run again (Use-DbSession -Retry), and how long to wait first.</summary>
internal static class UnitRetry
{
    private static readonly TimeSpan s_longest = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Why the failure is worth a retry, or null: a serialization failure (40001), a deadlock (40P01), or a
    /// connection lost before COMMIT. The cause may be wrapped in PowerShell's own exceptions or error records.
    /// </summary>
    public static string? Reason(Exception failure)
    {
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Exception>();
        pending.Push(failure);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            if (!seen.Add(e)) continue;
            switch (e)
            {
                case DbSqlException { SqlState: "40001" } sql:
                    return "serialization failure (40001: " + sql.MessageText + ")";
                case DbSqlException { SqlState: "40P01" } sql:
                    return "deadlock (40P01: " + sql.MessageText + ")";
                case DbConnectionLostException lost:
                    return "connection lost (" + lost.Message + ")";
                // A session that only says it was rolled back, or a COMMIT of unknown outcome, is never retried.
                case DbSessionException:
                    continue;
            }
            if (e is IContainsErrorRecord { ErrorRecord.Exception: { } recorded }) pending.Push(recorded);
            if (e.InnerException is { } inner) pending.Push(inner);
        }
        return null;
    }

    /// <summary>Exponential: first × 2^(attempt-1), times a random factor from 0.5 to 1.5 so that colliding units drift apart.</summary>
    public static TimeSpan Delay(double firstSeconds, int attempt)
    {
        double seconds = firstSeconds * Math.Pow(2, Math.Min(attempt - 1, 30)) * (0.5 + Random.Shared.NextDouble());
        return seconds >= s_longest.TotalSeconds ? s_longest : TimeSpan.FromSeconds(seconds);
    }
}
