using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Listens on channels in the background and raises a PowerShell engine event per notification, as
/// Register-ObjectEvent does: Get-Event, Wait-Event and -Action work; Unregister-Event stops it and
/// returns the connection. The prompt stays free meanwhile.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "DbNotification")]
[OutputType(typeof(PSEventJob))]
public sealed class RegisterDbNotificationCommand : ListenCmdlet
{
    /// <summary>Runs for each notification ($Event.SourceEventArgs, or $EventArgs, is the DbNotification); the command then returns its job.</summary>
    [Parameter(Position = 1)]
    public ScriptBlock? Action { get; set; }

    /// <summary>The name of the subscription (for Get-Event, Wait-Event, Unregister-Event); a new GUID when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceIdentifier { get; set; }

    /// <summary>Extra data handed to each event as $Event.MessageData.</summary>
    [Parameter]
    public PSObject? MessageData { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string name = SourceIdentifier ?? Guid.NewGuid().ToString();
        if (Events.GetEventSubscribers(name).Any())
        {
            Fail(DbErrors.Record("PgUsers.SubscriptionExists", ErrorCategory.ResourceExists,
                $"A subscription named '{name}' exists already: pick another -SourceIdentifier, or Unregister-Event it first.", name));
        }
        NotificationSubscription? subscription = null;
        var listener = StartListener(NotificationSubscription.WarnThrough(() => subscription));
        var source = new DbNotificationSource(listener.Engine, listener.Channels);
        PSEventSubscriber subscriber;
        try
        {
            subscriber = Events.SubscribeEvent(source, nameof(DbNotificationSource.Notification), name, MessageData, Action, false, false);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            listener.Dispose();
            Fail(e, name);
            return;
        }
        subscription = new NotificationSubscription(listener, source, Events, subscriber);
        subscription.Start();
        if (subscriber.Action is { } job) WriteObject(job);
    }
}
