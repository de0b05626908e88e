
namespace PgUsers;

/// <summary>A row of the users table: exactly its columns, so Export-Csv writes a file that loads back (Get-DbUser -Recurse adds a Depth note property).</summary>
public sealed class User
{
    // The row's values in UserTable.Columns order, as read: one array per user, no per-column fields to keep in step.
    private readonly object?[] _values;

    internal User(object?[] values)
    {
        _values = values;
    }

    /// <summary>The Telegram user id (primary key).</summary>
    public long TelegramId => (long)_values[UserTable.TelegramId.Ordinal]!;
    /// <summary>The user's full name.</summary>
    public string FullName => (string)_values[UserTable.FullName.Ordinal]!;
    /// <summary>The @username, or null.</summary>
    public string? Username => (string?)_values[UserTable.Username.Ordinal];
    /// <summary>The IETF language code, such as en.</summary>
    public string LanguageCode => (string)_values[UserTable.LanguageCode.Ordinal]!;
    /// <summary>When the row was created (server time).</summary>
    public DateTime? CreatedAt => (DateTime?)_values[UserTable.CreatedAt.Ordinal];
    /// <summary>The id of the user who referred this one, or null.</summary>
    public long? ReferrerId => (long?)_values[UserTable.ReferrerId.Ordinal];

    /// <summary>The value of one column.</summary>
    internal object? this[TableColumn column] => _values[column.Ordinal];

    /// <summary>full name (telegram id).</summary>
    public override string ToString() => $"{FullName} ({TelegramId})";
}
