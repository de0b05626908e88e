namespace PgUsers.Engine;

/// <summary>LISTEN/NOTIFY through the seam: any channel; the link only listens, waits and hands events over.</summary>
internal partial interface IDbLink
{
    /// <summary>
    /// Starts listening on each channel, the names sent as quoted identifiers (taken literally: case,
    /// quotes and all). From then on every notification the connection reads, during a wait or any
    /// statement, goes to <paramref name="received"/> on the reading thread.
    /// </summary>
    void Listen(IReadOnlyList<string> channels, Action<DbNotification> received, CancellationToken cancellationToken);

    /// <summary>
    /// UNLISTEN *: the connection goes back to the pool listening to nothing, whatever the pool's reset
    /// does or does not do. Quiet when the connection is already gone (there is nothing left to unlisten).
    /// </summary>
    void Unlisten();

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the server to send something; true when notifications
    /// (handed to the Listen callback meanwhile) arrived, false when none did. A broken connection throws
    /// <see cref="DbConnectionLostException"/>. The token is looked at between short waits, so it stops the
    /// wait within a fraction of a second without breaking the connection.
    /// </summary>
    bool WaitForNotifications(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>A round trip (the LISTEN again, on a listening link) that must finish within <paramref name="timeout"/>: a peer that stopped answering becomes <see cref="DbConnectionLostException"/>.</summary>
    void Ping(TimeSpan timeout);
}
