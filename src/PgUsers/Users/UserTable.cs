namespace PgUsers.Users;

/// <summary>
/// The users table, described once. Its DDL, select lists, COPY columns, SET clauses, input
/// binding, strict conversion and the read-back into <see cref="User"/> all derive from this list.
/// </summary>
internal static class UserTable
{
    public const string Name = "users";

    // Constants, so parameter attributes ([Alias]) can name them; nothing else spells a column.
    public const string TelegramIdName = "telegram_id";
    public const string FullNameName = "full_name";
    public const string UsernameName = "username";
    public const string LanguageCodeName = "language_code";
    public const string CreatedAtName = "created_at";
    public const string ReferrerIdName = "referrer_id";

    public static readonly UserColumn TelegramId = new(TelegramIdName, nameof(User.TelegramId), ColumnType.BigInt, nullable: false, settable: false, aliases: "Id");
    public static readonly UserColumn FullName = new(FullNameName, nameof(User.FullName), ColumnType.Varchar, nullable: false, maxLength: 255);
    public static readonly UserColumn Username = new(UsernameName, nameof(User.Username), ColumnType.Varchar, maxLength: 255);
    public static readonly UserColumn LanguageCode = new(LanguageCodeName, nameof(User.LanguageCode), ColumnType.Varchar, nullable: false, maxLength: 255);
    public static readonly UserColumn CreatedAt = new(CreatedAtName, nameof(User.CreatedAt), ColumnType.Timestamp, defaultSql: "NOW()");
    public static readonly UserColumn ReferrerId = new(ReferrerIdName, nameof(User.ReferrerId), ColumnType.BigInt);

    /// <summary>Every column, in table order.</summary>
    public static readonly UserColumn[] Columns = Number(TelegramId, FullName, Username, LanguageCode, CreatedAt, ReferrerId);

    /// <summary>The primary key.</summary>
    public static UserColumn Key => TelegramId;

    /// <summary>The column that references <see cref="Key"/> (ON DELETE SET NULL).</summary>
    public static UserColumn Referrer => ReferrerId;

    /// <summary>The columns Set-DbUser can change.</summary>
    public static readonly UserColumn[] Settable = Columns.Where(c => c.Settable).ToArray();

    /// <summary>The select list every users query uses; rows read with it map onto <see cref="User"/>.</summary>
    public static readonly string Select = string.Join(", ", Columns.Select(c => c.Name));

    /// <summary>The same list qualified by a table alias.</summary>
    public static string SelectFrom(string alias) => string.Join(", ", Columns.Select(c => alias + "." + c.Name));

    public static readonly string ReferrerIndex = $"{Name}_{Referrer.Name}_idx";

    /// <summary>CREATE TABLE (and the referrer index) if not there.</summary>
    public static readonly string Ddl = $"""
        CREATE TABLE IF NOT EXISTS {Name}(
            {string.Join(",\n    ", Columns.Select(Definition))},
            FOREIGN KEY ({Referrer.Name}) REFERENCES {Name} ({Key.Name}) ON DELETE SET NULL
        );
        CREATE INDEX IF NOT EXISTS {ReferrerIndex} ON {Name} ({Referrer.Name});
        """;

    /// <summary>The column a property name binds to (PowerShell name, SQL name or alias; any case), or null.</summary>
    public static UserColumn? ForProperty(string propertyName) => s_byProperty.TryGetValue(propertyName, out var column) ? column : null;

    private static readonly Dictionary<string, UserColumn> s_byProperty = Columns
        .SelectMany(c => c.PropertyNames.Distinct(StringComparer.OrdinalIgnoreCase).Select(n => (Name: n, Column: c)))
        .ToDictionary(p => p.Name, p => p.Column, StringComparer.OrdinalIgnoreCase);

    private static string Definition(UserColumn c) =>
        $"{c.Name} {c.SqlType}" + (c == Key ? " PRIMARY KEY" : c.Nullable ? "" : " NOT NULL") + (c.DefaultSql is { } d ? " DEFAULT " + d : "");

    private static UserColumn[] Number(params UserColumn[] columns)
    {
        for (int i = 0; i < columns.Length; i++) columns[i].Ordinal = i;
        return columns;
    }
}
