namespace PgUsers;

/// <summary>A row of the users table.</summary>
public sealed class User
{
    internal User(long telegramId, string fullName, string? username, string languageCode, DateTime? createdAt, long? referrerId, int? depth = null)
    {
        TelegramId = telegramId;
        FullName = fullName;
        Username = username;
        LanguageCode = languageCode;
        CreatedAt = createdAt;
        ReferrerId = referrerId;
        Depth = depth;
    }

    /// <summary>The Telegram user id (primary key).</summary>
    public long TelegramId { get; }
    /// <summary>The user's full name.</summary>
    public string FullName { get; }
    /// <summary>The @username, or null.</summary>
    public string? Username { get; }
    /// <summary>The IETF language code, such as en.</summary>
    public string LanguageCode { get; }
    /// <summary>When the row was created (server time).</summary>
    public DateTime? CreatedAt { get; }
    /// <summary>The id of the user who referred this one, or null.</summary>
    public long? ReferrerId { get; }
    /// <summary>Depth in a referral tree (1 = referred directly), set by Get-DbUser -Recurse; else null.</summary>
    public int? Depth { get; }

    /// <summary>full name (telegram id).</summary>
    public override string ToString() => $"{FullName} ({TelegramId})";
}

/// <summary>The users table's columns, in the order every users query selects them.</summary>
internal static class UserColumns
{
    public const string Select = "telegram_id, full_name, username, language_code, created_at, referrer_id";
    public static readonly string[] Names = { "telegram_id", "full_name", "username", "language_code", "created_at", "referrer_id" };
}
