namespace PgUsers.Sandbox;

/// <summary>Server settings of every sandbox, local or in a container: the data is thrown away, so durability is off.</summary>
internal static class ThrowawaySettings
{
    public static readonly string[] Settings =
    {
        "fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=300", "shared_buffers=256MB",
    };

    /// <summary>The settings as the server's own options: -c name=value each.</summary>
    public static IEnumerable<string> AsOptions() => Settings.SelectMany(s => new[] { "-c", s });
}
