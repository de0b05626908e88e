namespace PgUsers;

/// <summary>One host of an engine's URL and what the engine last saw it to be.</summary>
public sealed class DbHostState
{
    internal DbHostState(string host, int port, string role, DateTime? seenAt)
    {
        Host = host;
        Port = port;
        Role = role;
        SeenAt = seenAt;
    }

    /// <summary>The host name or address, as the URL gives it.</summary>
    public string Host { get; }
    /// <summary>The port.</summary>
    public int Port { get; }
    /// <summary>primary, primary (read-only), standby, unreachable, or unknown (not connected to yet, or re-checked after a lost connection).</summary>
    public string Role { get; }
    /// <summary>When the role was last seen (UTC), or null when never.</summary>
    public DateTime? SeenAt { get; }

    /// <summary>host:port role.</summary>
    public override string ToString() => $"{(Host.Contains(':') ? "[" + Host + "]" : Host)}:{Port} {Role}";
}
