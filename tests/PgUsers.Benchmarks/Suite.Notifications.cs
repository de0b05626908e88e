using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace PgUsers.Benchmarks;

internal sealed partial class Suite
{
    private const string LatencyChannel = "bench_latency";

    /// <summary>
    /// Notify-to-pipeline latency: a sender (raw Npgsql) sends one NOTIFY at a time, its payload the moment
    /// it was sent, and waits until the receiver has it before sending the next. Ours is Wait-DbNotification
    /// piped into a cmdlet that records the delay; the baseline is raw Npgsql's Wait and Notification event
    /// on an open connection. Both sides take turns, run by run; median and p99 over every notification.
    /// </summary>
    private void NotificationLatency()
    {
        int n = _settings.Calls;
        var ours = new List<double>();
        var raw = new List<double>();
        Latencies(100, RawWaitPass);
        Latencies(100, WaitDbNotificationPass);
        for (int run = 0; run < _settings.Runs; run++)
        {
            raw.AddRange(Latencies(n, RawWaitPass));
            ours.AddRange(Latencies(n, WaitDbNotificationPass));
        }
        double oursMedian = Percentile(ours, 0.5), oursP99 = Percentile(ours, 0.99);
        double rawMedian = Percentile(raw, 0.5), rawP99 = Percentile(raw, 0.99);
        _rows.Add(new ResultRow($"Notify-to-pipeline latency, Wait-DbNotification, {n:N0} notifications × {_settings.Runs} runs",
            ResultRow.Format($"median {oursMedian * 1e6:0} µs, p99 {oursP99 * 1e6:0} µs"),
            ResultRow.Format($"raw Npgsql Wait: median {rawMedian * 1e6:0} µs, p99 {rawP99 * 1e6:0} µs"),
            ResultRow.Format($"{(oursMedian - rawMedian) * 1e6:+0;-0} µs median, {(oursP99 - rawP99) * 1e6:+0;-0} µs p99"), "—", "info"));
    }

    /// <summary>One pass of <paramref name="count"/> notifications through <paramref name="receive"/>; the latencies in seconds.</summary>
    private List<double> Latencies(int count, Action<int, List<double>, SemaphoreSlim> receive)
    {
        var latencies = new List<double>(count);
        using var received = new SemaphoreSlim(0);
        Exception? failed = null;
        var sender = new Thread(() =>
        {
            try
            {
                Send(count, received);
            }
            catch (Exception e)
            {
                failed = e;
            }
        });
        sender.Start();
        receive(count, latencies, received);
        sender.Join();
        if (failed is not null) throw new InvalidOperationException("The notification sender failed.", failed);
        Expect(count, latencies.Count, "notifications received");
        return latencies;
    }

    private void Send(int count, SemaphoreSlim received)
    {
        using var connection = new NpgsqlConnection(_raw.ConnectionString);
        connection.Open();
        using (var listening = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN %{LatencyChannel}%'", connection))
        {
            while (Convert.ToInt64(listening.ExecuteScalar()) == 0) Thread.Sleep(10);
        }
        using var notify = new NpgsqlCommand("SELECT pg_notify(@c, @p)", connection);
        notify.Parameters.AddWithValue("c", LatencyChannel);
        var payload = notify.Parameters.AddWithValue("p", "");
        for (int i = 0; i < count; i++)
        {
            payload.Value = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
            notify.ExecuteNonQuery();
            if (!received.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException($"Notification {i} was not received within 30 s.");
        }
    }

    private void RawWaitPass(int count, List<double> latencies, SemaphoreSlim received)
    {
        // Unpooled: a pooled one would stay idle on the server after this pass, still showing its LISTEN, and the
        // next pass's sender would take it for that pass's listener and send before anyone listens.
        using var connection = new NpgsqlConnection(_raw.ConnectionString + ";Pooling=false");
        connection.Open();
        connection.Notification += (_, e) =>
        {
            long now = Stopwatch.GetTimestamp();
            latencies.Add((now - long.Parse(e.Payload, CultureInfo.InvariantCulture)) / (double)Stopwatch.Frequency);
            received.Release();
        };
        using (var listen = new NpgsqlCommand("LISTEN " + LatencyChannel, connection)) listen.ExecuteNonQuery();
        while (latencies.Count < count) connection.Wait(TimeSpan.FromSeconds(30));
    }

    private void WaitDbNotificationPass(int count, List<double> latencies, SemaphoreSlim received)
    {
        ReceiveBenchNotificationCommand.Latencies = latencies;
        ReceiveBenchNotificationCommand.Received = received;
        try
        {
            _ps.Run($"Wait-DbNotification {LatencyChannel} -Count {count} -Timeout 600 | Receive-BenchNotification");
        }
        finally
        {
            ReceiveBenchNotificationCommand.Latencies = null;
            ReceiveBenchNotificationCommand.Received = null;
        }
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
