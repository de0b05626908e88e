using System.Text;

namespace PgUsers.Notifications;

/// <summary>
/// What PostgreSQL takes as a channel name. Names are taken literally (mixed case and quotes kept) and
/// travel quoted or bound, never spliced; this only refuses what the server would refuse or silently cut.
/// </summary>
internal static class ChannelName
{
    /// <summary>A channel is an identifier: at most NAMEDATALEN - 1 bytes; LISTEN would truncate a longer one without a word.</summary>
    public const int MaxBytes = 63;

    /// <summary>Why <paramref name="name"/> cannot be a channel, or null when it can.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "A channel name cannot be empty.";
        if (name.Contains('\0')) return "A channel name cannot hold a NUL character.";
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes)
        {
            return $"The channel name '{name}' is {bytes} bytes in UTF-8; PostgreSQL's identifiers hold at most {MaxBytes} (a longer one would be cut short, and its notifications never meet).";
        }
        return null;
    }
}
