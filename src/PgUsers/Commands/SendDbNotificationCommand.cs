using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Sends a notification (pg_notify, channel and payload bound, never spliced); an object payload goes as
/// JSON. Inside a unit of work it is delivered at commit, as PostgreSQL delivers NOTIFY; outside one, each
/// piped payload is delivered as it is sent.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DbNotification")]
[OutputType(typeof(void))]
public sealed class SendDbNotificationCommand : DbCmdlet
{
    private const string Notify = "SELECT pg_notify(@channel, @payload)";
    private long _sent;

    /// <summary>The channel, taken literally (case and quotes kept).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Channel { get; set; } = "";

    /// <summary>The payload: a string as it is, any other object as JSON; at most 7999 bytes. Pipeline input sends one notification per object.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true)]
    public object? Payload { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (ChannelName.Problem(Channel) is { } problem) Fail(DbErrors.Argument("PgUsers.InvalidChannel", problem, Channel));
        // A standby cannot NOTIFY: outside a unit of work a multi-host engine sends to its primary.
        if (TargetSessionAttrs is null && ActiveSession is null) TargetSessionAttrs = TargetSessions.Primary;
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string text;
        try
        {
            text = NotificationPayload.Text(Payload);
        }
        catch (ArgumentException e)
        {
            Refuse(new ErrorRecord(e, "PgUsers.InvalidPayload", ErrorCategory.InvalidArgument, Payload));
            return;
        }
        if (NotificationPayload.Problem(text) is { } problem)
        {
            Refuse(new ErrorRecord(new ArgumentException(problem), "PgUsers.PayloadTooLong", ErrorCategory.LimitsExceeded, Payload));
            return;
        }
        try
        {
            var values = new KeyValuePair<string, object?>[] { new("channel", Channel), new("payload", text) };
            Unit.Link.ExecuteNonQuery(new DbStatement(Notify, values), Cancellation);
            _sent++;
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, Channel);
        }
    }

    /// <summary>A piped payload that cannot go is that item's error; the others still go.</summary>
    private void Refuse(ErrorRecord record)
    {
        if (MyInvocation.ExpectingInput) WriteError(record);
        else Fail(record);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!HasUnit) return;
        try
        {
            bool inSession = Unit.InSession;
            CompleteUnit();
            WriteVerbose($"{_sent} notifications sent on '{Channel}'" + (inSession ? ", delivered when the unit of work commits." : "."));
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, Channel);
        }
    }
}
