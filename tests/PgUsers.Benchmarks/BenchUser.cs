namespace PgUsers.Benchmarks;

/// <summary>One generated user: the input of the load case (bound by property name) and the raw reader's typed row.</summary>
public sealed class BenchUser
{
    public long TelegramId { get; init; }
    public string FullName { get; init; } = "";
    public string? Username { get; init; }
    public string LanguageCode { get; init; } = "";
    public DateTime? CreatedAt { get; init; }
    public long? ReferrerId { get; init; }

    private static readonly string[] s_languages = { "en", "ru", "de", "es", "pt" };
    private static readonly DateTime s_epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Users 1..count: a third without username, every tenth referred by the one before it.</summary>
    public static BenchUser[] Generate(int count)
    {
        var users = new BenchUser[count];
        for (int i = 0; i < count; i++)
        {
            long id = i + 1;
            users[i] = new BenchUser
            {
                TelegramId = id,
                FullName = "User Number " + id,
                Username = id % 3 == 0 ? null : "user" + id,
                LanguageCode = s_languages[id % s_languages.Length],
                CreatedAt = s_epoch.AddSeconds(id),
                ReferrerId = id % 10 == 0 ? id - 1 : null,
            };
        }
        return users;
    }
}
