using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PsRunspaceState = System.Management.Automation.Runspaces.RunspaceState;

namespace PgUsers.Notifications;

/// <summary>
/// Register-DbNotification's background listener: a thread that waits on a <see cref="Listener"/> and
/// raises each notification as <see cref="DbNotificationSource"/>'s .NET event, which PowerShell's event
/// manager turns into engine events, as for Register-ObjectEvent.
/// Unregister-Event (or the runspace closing) stops it: the thread unlistens and returns the connection
/// before Unregister-Event returns.
/// </summary>
internal sealed class NotificationSubscription
{
    /// <summary>The source identifier of the events that report a gap (and of the one that reports a listener that had to stop).</summary>
    public const string GapEvent = "PgUsers.ListenGap";

    private readonly Listener _listener;
    private readonly DbNotificationSource _source;
    private readonly PSEventManager _events;
    private readonly PSEventSubscriber _subscriber;
    private readonly Runspace? _runspace;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;

    /// <summary>Runs <paramref name="listener"/> for <paramref name="subscriber"/>, PowerShell's subscription to <paramref name="source"/>'s Notification event.</summary>
    public NotificationSubscription(Listener listener, DbNotificationSource source, PSEventManager events, PSEventSubscriber subscriber)
    {
        _listener = listener;
        _source = source;
        _events = events;
        _subscriber = subscriber;
        _runspace = Runspace.DefaultRunspace;
        _thread = new Thread(Run) { IsBackground = true, Name = "PgUsers listener " + subscriber.SourceIdentifier };
    }

    public void Start()
    {
        _subscriber.Unsubscribed += OnUnsubscribed;
        if (_runspace is not null) _runspace.StateChanged += OnRunspaceState;
        _thread.Start();
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                var notification = _listener.Next(Timeout.InfiniteTimeSpan, _stopping.Token);
                if (notification is not null) _source.Raise(notification);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Nothing retrying could mend (the engine was removed): say so where the gaps are said, and stop.
            Warn($"The listener '{_subscriber.SourceIdentifier}' on {_listener.Names} stopped: {e.Message}");
            _listener.Dispose();
            ThreadPool.QueueUserWorkItem(_ => _events.UnsubscribeEvent(_subscriber));
            return;
        }
        _listener.Dispose();
    }

    /// <summary>A gap: an engine event any script can wait on or Get-Event, and a warning in the -Action job.</summary>
    private void Warn(string message)
    {
        _subscriber.Action?.Warning.Add(new WarningRecord(GapEvent, message));
        _events.GenerateEvent(GapEvent, _source, new object[] { _subscriber.SourceIdentifier }, new PSObject(message));
    }

    /// <summary>Passed to the listener as its warning sink (it runs on the listening thread).</summary>
    public static Action<string> WarnThrough(Func<NotificationSubscription?> subscription) => message => subscription()?.Warn(message);

    // Raised by Unregister-Event (PowerShell raises it for subscriptions to a .NET event, hence the source object).
    private void OnUnsubscribed(object? sender, PSEventUnsubscribedEventArgs e) => Stop();

    private void OnRunspaceState(object? sender, RunspaceStateEventArgs e)
    {
        if (e.RunspaceStateInfo.State is PsRunspaceState.Closing or PsRunspaceState.Closed or PsRunspaceState.Broken) Stop();
    }

    /// <summary>Stops the thread and waits for it to let go of its connection.</summary>
    private void Stop()
    {
        if (_stopping.IsCancellationRequested) return;
        _subscriber.Unsubscribed -= OnUnsubscribed;
        if (_runspace is not null) _runspace.StateChanged -= OnRunspaceState;
        _stopping.Cancel();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
    }
}
