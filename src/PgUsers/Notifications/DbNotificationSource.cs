namespace PgUsers;

/// <summary>
/// What Register-DbNotification subscribes to: the sender of its events ($Event.Sender), raising
/// <see cref="Notification"/> for each notification its background listener receives.
/// </summary>
public sealed class DbNotificationSource
{
    internal DbNotificationSource(DbEngine engine, IReadOnlyList<string> channels)
    {
        Engine = engine;
        Channels = channels.ToArray();
    }

    /// <summary>The engine whose pool lends the listening connection.</summary>
    public DbEngine Engine { get; }
    /// <summary>The channels listened on.</summary>
    public string[] Channels { get; }

    /// <summary>Raised on the listening thread for each notification; PowerShell's event manager queues it for the runspace.</summary>
    public event EventHandler<DbNotification>? Notification;

    internal void Raise(DbNotification notification) => Notification?.Invoke(this, notification);

    /// <summary>The channels, comma-separated.</summary>
    public override string ToString() => string.Join(", ", Channels);
}
