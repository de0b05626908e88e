using System.Diagnostics;
using System.Management.Automation;

namespace PgUsers.Benchmarks;

/// <summary>
/// The end of the pipeline in the notification latency row: records how long ago each notification's
/// payload (a Stopwatch timestamp taken just before its NOTIFY) was sent, then lets the sender send the next.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "BenchNotification")]
public sealed class ReceiveBenchNotificationCommand : PSCmdlet
{
    /// <summary>Where the latencies go (seconds), and the sender's go-ahead; set by the benchmark around a pass.</summary>
    internal static List<double>? Latencies { get; set; }
    internal static SemaphoreSlim? Received { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        long now = Stopwatch.GetTimestamp();
        long sent = long.Parse((string)InputObject!.Properties["Payload"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Latencies!.Add((now - sent) / (double)Stopwatch.Frequency);
        Received!.Release();
    }
}
