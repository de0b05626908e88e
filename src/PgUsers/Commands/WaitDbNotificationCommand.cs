using System.Management.Automation;
using System.Text.Json;

namespace PgUsers.Commands;

/// <summary>
/// Listens on channels and writes each notification into the pipeline as it arrives, until -Count,
/// -Timeout, Ctrl+C or a satisfied downstream (Select-Object -First); then unlistens and returns the connection.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "DbNotification")]
[OutputType(typeof(DbNotification))]
public sealed class WaitDbNotificationCommand : ListenCmdlet
{
    private Listener? _listener;

    /// <summary>Stop after this many notifications.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    /// <summary>Stop after this many seconds in all, without an error (fractions allowed).</summary>
    [Parameter]
    [ValidateRange(0.0, int.MaxValue)]
    public double? Timeout { get; set; }

    /// <summary>Parse each payload as JSON (PSCustomObjects and arrays, as ConvertFrom-Json makes them).</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _listener = StartListener(WriteWarning);
        var deadline = Timeout is { } seconds ? DateTime.UtcNow + TimeSpan.FromSeconds(seconds) : (DateTime?)null;
        int written = 0;
        try
        {
            while (Count is not { } count || written < count)
            {
                var left = deadline is { } end ? end - DateTime.UtcNow : System.Threading.Timeout.InfiniteTimeSpan;
                if (deadline is not null && left <= TimeSpan.Zero) break;
                if (_listener.Next(left, Cancellation) is not { } notification) break;
                if (AsJson && !TryParse(ref notification)) continue;
                WriteObject(notification);
                written++;
            }
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, string.Join(", ", Channel));
        }
        WriteVerbose($"{written} notifications received on {_listener.Names}.");
    }

    private bool TryParse(ref DbNotification notification)
    {
        try
        {
            notification = notification.WithPayload(PsValues.FromJson((string)notification.Payload!));
            return true;
        }
        catch (JsonException e)
        {
            WriteError(new ErrorRecord(new FormatException($"The payload on '{notification.Channel}' is not JSON: {e.Message}", e),
                "PgUsers.InvalidJson", ErrorCategory.InvalidData, notification));
            return false;
        }
    }

    /// <summary>Every way out (the end, an error, Ctrl+C, -First) unlistens and returns the connection.</summary>
    private protected override void Release()
    {
        _listener?.Dispose();
        _listener = null;
    }
}
