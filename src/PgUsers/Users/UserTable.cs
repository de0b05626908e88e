namespace PgUsers.Users;

/// <summary>
/// The users table, described once: a declared <see cref="TableDescription"/> (the same kind a reflected
/// table has) with PowerShell names and aliases on its columns. Its DDL, select lists, COPY columns, SET
/// clauses, input binding, strict conversion and the read-back into <see cref="User"/> all derive from it.
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

    public static readonly TableColumn TelegramId = new(TelegramIdName, nameof(User.TelegramId), ColumnType.BigInt, nullable: false, settable: false, aliases: "Id");
    public static readonly TableColumn FullName = new(FullNameName, nameof(User.FullName), ColumnType.Varchar, nullable: false, maxLength: 255);
    public static readonly TableColumn Username = new(UsernameName, nameof(User.Username), ColumnType.Varchar, maxLength: 255);
    public static readonly TableColumn LanguageCode = new(LanguageCodeName, nameof(User.LanguageCode), ColumnType.Varchar, nullable: false, maxLength: 255);
    public static readonly TableColumn CreatedAt = new(CreatedAtName, nameof(User.CreatedAt), ColumnType.Timestamp, defaultSql: "NOW()");
    public static readonly TableColumn ReferrerId = new(ReferrerIdName, nameof(User.ReferrerId), ColumnType.BigInt);

    /// <summary>Every column, in table order.</summary>
    public static readonly TableColumn[] Columns = { TelegramId, FullName, Username, LanguageCode, CreatedAt, ReferrerId };

    /// <summary>The table as every loader sees any table (numbers the columns in order).</summary>
    public static readonly TableDescription Description = new(Name, Columns, new[] { TelegramIdName });

    /// <summary>The primary key.</summary>
    public static TableColumn Key => TelegramId;

    /// <summary>The column that references <see cref="Key"/> (ON DELETE SET NULL).</summary>
    public static TableColumn Referrer => ReferrerId;

    /// <summary>The columns Set-DbUser can change.</summary>
    public static readonly TableColumn[] Settable = Columns.Where(c => c.Settable).ToArray();

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
    public static TableColumn? ForProperty(string propertyName) => s_byProperty.TryGetValue(propertyName, out var column) ? column : null;

    private static readonly Dictionary<string, TableColumn> s_byProperty = Columns
        .SelectMany(c => c.PropertyNames.Distinct(StringComparer.OrdinalIgnoreCase).Select(n => (Name: n, Column: c)))
        .ToDictionary(p => p.Name, p => p.Column, StringComparer.OrdinalIgnoreCase);

    private static string Definition(TableColumn c) =>
        $"{c.Name} {c.SqlType}" + (c == Key ? " PRIMARY KEY" : c.Nullable ? "" : " NOT NULL") + (c.DefaultSql is { } d ? " DEFAULT " + d : "");
}
