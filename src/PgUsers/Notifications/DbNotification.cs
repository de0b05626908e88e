namespace PgUsers;

/// <summary>
/// One NOTIFY received: what Wait-DbNotification writes, and the SourceEventArgs of a
/// Register-DbNotification event (an EventArgs, as Register-ObjectEvent's are).
/// </summary>
public sealed class DbNotification : EventArgs
{
    internal DbNotification(string channel, object? payload, int processId, DateTime receivedAt)
    {
        Channel = channel;
        Payload = payload;
        ProcessId = processId;
        ReceivedAt = receivedAt;
    }

    /// <summary>The channel it was sent on, exactly as named (case and quotes kept).</summary>
    public string Channel { get; }
    /// <summary>The payload: its text, or with -AsJson the parsed JSON (PSCustomObjects and arrays, as ConvertFrom-Json makes them).</summary>
    public object? Payload { get; }
    /// <summary>The process ID of the server backend that sent it.</summary>
    public int ProcessId { get; }
    /// <summary>When this client read it (local time).</summary>
    public DateTime ReceivedAt { get; }

    internal DbNotification WithPayload(object? payload) => new(Channel, payload, ProcessId, ReceivedAt);

    /// <summary>channel: payload.</summary>
    public override string ToString() => $"{Channel}: {Payload}";
}
