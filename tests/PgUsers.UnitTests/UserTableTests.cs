using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Numerics;

namespace PgUsers.UnitTests;

/// <summary>The users table described once: everything SQL and PowerShell see derives from the column list.</summary>
public sealed class UserTableTests
{
    [Fact]
    public void The_columns_are_the_table_in_order()
    {
        Assert.Equal(new[] { "telegram_id", "full_name", "username", "language_code", "created_at", "referrer_id" }, UserTable.Columns.Select(c => c.Name));
        Assert.Equal(new[] { "TelegramId", "FullName", "Username", "LanguageCode", "CreatedAt", "ReferrerId" }, UserTable.Columns.Select(c => c.PsName));
        Assert.Equal(Enumerable.Range(0, 6), UserTable.Columns.Select(c => c.Ordinal));
        Assert.Equal("users", UserTable.Name);
        Assert.Same(UserTable.TelegramId, UserTable.Key);
        Assert.Same(UserTable.ReferrerId, UserTable.Referrer);
    }

    [Fact]
    public void Every_User_property_is_a_column_and_nothing_else()
    {
        var properties = typeof(User).GetProperties().Select(p => p.Name);
        Assert.Equal(UserTable.Columns.Select(c => c.PsName), properties);
    }

    public static TheoryData<string, string, bool, int?, bool, string?> ColumnFacts() => new()
    {
        { "telegram_id", "BIGINT", false, null, false, null },
        { "full_name", "VARCHAR(255)", false, 255, true, null },
        { "username", "VARCHAR(255)", true, 255, true, null },
        { "language_code", "VARCHAR(255)", false, 255, true, null },
        { "created_at", "TIMESTAMP", true, null, true, "NOW()" },
        { "referrer_id", "BIGINT", true, null, true, null },
    };

    [Theory]
    [MemberData(nameof(ColumnFacts))]
    public void Each_column_has_its_type_nullability_length_and_default(string name, string sqlType, bool nullable, int? maxLength, bool settable, string? defaultSql)
    {
        var column = UserTable.Columns.Single(c => c.Name == name);
        Assert.Equal(sqlType, column.SqlType);
        Assert.Equal(nullable, column.Nullable);
        Assert.Equal(maxLength, column.MaxLength);
        Assert.Equal(settable, column.Settable);
        Assert.Equal(defaultSql, column.DefaultSql);
        Assert.Equal(name, column.ToString());
    }

    [Fact]
    public void The_DDL_creates_the_table_its_key_the_self_reference_and_the_referrer_index()
    {
        Assert.Equal("""
            CREATE TABLE IF NOT EXISTS users(
                telegram_id BIGINT PRIMARY KEY,
                full_name VARCHAR(255) NOT NULL,
                username VARCHAR(255),
                language_code VARCHAR(255) NOT NULL,
                created_at TIMESTAMP DEFAULT NOW(),
                referrer_id BIGINT,
                FOREIGN KEY (referrer_id) REFERENCES users (telegram_id) ON DELETE SET NULL
            );
            CREATE INDEX IF NOT EXISTS users_referrer_id_idx ON users (referrer_id);
            """.ReplaceLineEndings("\n"), UserTable.Ddl.ReplaceLineEndings("\n"));
        Assert.Equal("users_referrer_id_idx", UserTable.ReferrerIndex);
    }

    [Fact]
    public void Select_lists_and_COPY_columns_follow_the_table_order()
    {
        Assert.Equal("telegram_id, full_name, username, language_code, created_at, referrer_id", UserTable.Select);
        Assert.Equal("u.telegram_id, u.full_name, u.username, u.language_code, u.created_at, u.referrer_id", UserTable.SelectFrom("u"));
        Assert.Equal(new[]
        {
            new CopyColumn("telegram_id", ColumnType.BigInt), new CopyColumn("full_name", ColumnType.Varchar), new CopyColumn("username", ColumnType.Varchar),
            new CopyColumn("language_code", ColumnType.Varchar), new CopyColumn("created_at", ColumnType.Timestamp), new CopyColumn("referrer_id", ColumnType.BigInt),
        }, UserTable.Columns.Select(c => new CopyColumn(c.Name, c.Type)));
    }

    [Fact]
    public void Set_DbUser_may_change_every_column_but_the_key()
    {
        Assert.Equal(new[] { "full_name", "username", "language_code", "created_at", "referrer_id" }, UserTable.Settable.Select(c => c.Name));
        Assert.DoesNotContain(UserTable.Key, UserTable.Settable);
    }

    [Theory]
    [InlineData("TelegramId", "telegram_id")]
    [InlineData("telegram_id", "telegram_id")]
    [InlineData("TELEGRAM_ID", "telegram_id")]
    [InlineData("Id", "telegram_id")]
    [InlineData("id", "telegram_id")]
    [InlineData("FullName", "full_name")]
    [InlineData("fullname", "full_name")]
    [InlineData("full_name", "full_name")]
    [InlineData("Username", "username")]
    [InlineData("LanguageCode", "language_code")]
    [InlineData("language_code", "language_code")]
    [InlineData("CreatedAt", "created_at")]
    [InlineData("created_at", "created_at")]
    [InlineData("ReferrerId", "referrer_id")]
    [InlineData("referrer_id", "referrer_id")]
    [InlineData("Depth", null)]
    [InlineData("name", null)]
    [InlineData("full name", null)]
    [InlineData("", null)]
    public void A_property_binds_by_PowerShell_name_SQL_name_or_alias_in_any_case(string property, string? column) =>
        Assert.Equal(column, UserTable.ForProperty(property)?.Name);

    [Fact]
    public void Property_names_list_the_PowerShell_name_then_the_SQL_name_then_aliases()
    {
        Assert.Equal(new[] { "TelegramId", "telegram_id", "Id" }, UserTable.TelegramId.PropertyNames);
        Assert.Equal(new[] { "Username", "username" }, UserTable.Username.PropertyNames);
    }
}

/// <summary>ColumnValues: a value converts exactly to its column's type, or is refused with the reason.</summary>
public sealed class UserValuesTests
{
    private static object? Convert(TableColumn column, object? raw)
    {
        Assert.True(ColumnValues.TryConvert(column, raw, out var value, out var problem), problem);
        Assert.Null(problem);
        return value;
    }

    private static string Refuse(TableColumn column, object? raw)
    {
        Assert.False(ColumnValues.TryConvert(column, raw, out var value, out var problem), $"{raw} was taken as {value}");
        return problem!;
    }

    public static TheoryData<object, long> WholeNumbers() => new()
    {
        { 42, 42L }, { 42L, 42L }, { (short)-3, -3L }, { (byte)7, 7L }, { (sbyte)-7, -7L }, { (ushort)9, 9L }, { 4000000000u, 4000000000L },
        { (ulong)long.MaxValue, long.MaxValue }, { new BigInteger(long.MinValue), long.MinValue }, { 12m, 12L }, { -12.0m, -12L },
        { 2.0, 2L }, { -9.2233720368547758E18, long.MinValue }, { 3f, 3L },
        { "42", 42L }, { " 42 ", 42L }, { "+7", 7L }, { "-7", -7L }, { "0042", 42L }, { "9223372036854775807", long.MaxValue },
        { "-9223372036854775808", long.MinValue }, { PSObject.AsPSObject("5"), 5L }, { PSObject.AsPSObject(5), 5L },
    };

    [Theory]
    [MemberData(nameof(WholeNumbers))]
    public void An_id_takes_whole_numbers_only(object raw, long expected) =>
        Assert.Equal(expected, Convert(UserTable.TelegramId, raw));

    public static TheoryData<object, string> NotWholeNumbers() => new()
    {
        { "2.5", "is not a whole number (digits only, such as 42)" },
        { "12.6", "is not a whole number" },
        { "1e2", "is not a whole number" },
        { "0x20", "is not a whole number" },
        { "abc", "is not a whole number" },
        { "1 000", "is not a whole number" },
        { "١٢", "is not a whole number" },
        { "18446744073709551616", "is out of range for bigint" },
        { "9223372036854775808", "is out of range for bigint" },
        { BigInteger.Pow(2, 64), "is out of range for bigint" },
        { ulong.MaxValue, "is out of range for bigint" },
        { 2.5, "is not a whole number in bigint's range" },
        { 9.2233720368547758E18, "is not a whole number in bigint's range" },
        { double.NaN, "is not a whole number in bigint's range" },
        { double.PositiveInfinity, "is not a whole number in bigint's range" },
        { 2.5m, "is not a whole number in bigint's range" },
        { 0.5f, "is not a whole number in bigint's range" },
        { true, "is a Boolean, not a whole number" },
        { new DateTime(2024, 1, 1), "is a DateTime, not a whole number" },
    };

    [Theory]
    [MemberData(nameof(NotWholeNumbers))]
    public void Anything_else_is_refused_with_the_reason(object raw, string reason)
    {
        string problem = Refuse(UserTable.ReferrerId, raw);
        Assert.StartsWith("referrer_id '", problem);
        Assert.Contains(reason, problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_input_is_NULL_for_a_nullable_column_and_refused_for_a_NOT_NULL_one(string? raw)
    {
        Assert.Null(Convert(UserTable.ReferrerId, raw));
        Assert.Null(Convert(UserTable.Username, raw));
        Assert.Null(Convert(UserTable.CreatedAt, raw));
        Assert.Equal("telegram_id is empty, and the column is NOT NULL", Refuse(UserTable.TelegramId, raw));
        Assert.Equal("full_name is empty, and the column is NOT NULL", Refuse(UserTable.FullName, raw));
    }

    [Fact]
    public void AutomationNull_DBNull_and_PSObject_unwrap()
    {
        Assert.Null(ColumnValues.Unwrap(AutomationNull.Value));
        Assert.Null(ColumnValues.Unwrap(DBNull.Value));
        Assert.Null(ColumnValues.Unwrap(null));
        Assert.Equal("x", ColumnValues.Unwrap(PSObject.AsPSObject("x")));
        Assert.Null(Convert(UserTable.ReferrerId, AutomationNull.Value));
        Assert.Null(Convert(UserTable.ReferrerId, DBNull.Value));
        Assert.Equal("language_code is empty, and the column is NOT NULL", Refuse(UserTable.LanguageCode, AutomationNull.Value));
    }

    public static TheoryData<object, string> Texts() => new()
    {
        { "Jane Doe", "Jane Doe" }, { " padded ", " padded " }, { 'x', "x" }, { true, "True" }, { 42, "42" }, { 2.5, "2.5" }, { 1.5m, "1.5" },
        { new BigInteger(10), "10" }, { DayOfWeek.Monday, "Monday" }, { new string('a', 255), new string('a', 255) },
        { string.Concat(Enumerable.Repeat("😀", 255)), string.Concat(Enumerable.Repeat("😀", 255)) }, { PSObject.AsPSObject("ok"), "ok" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Text_takes_strings_characters_and_numbers_as_written(object raw, string expected) =>
        Assert.Equal(expected, Convert(UserTable.FullName, raw));

    [Fact]
    public void Text_length_counts_code_points_as_PostgreSQL_does()
    {
        Assert.Equal(1, ColumnValues.CodePoints("😀"));
        Assert.Equal(3, ColumnValues.CodePoints("a😀é"));
        Assert.Equal(0, ColumnValues.CodePoints(""));
        Assert.Equal("full_name '" + new string('a', 37) + "...' is 256 characters long; the column holds at most 255",
            Refuse(UserTable.FullName, new string('a', 256)));
        Assert.Contains("is 256 characters long", Refuse(UserTable.Username, string.Concat(Enumerable.Repeat("😀", 256))));
    }

    [Theory]
    [InlineData("a\0b", "contains a NUL character, which PostgreSQL text cannot hold")]
    public void Text_with_NUL_is_refused(string raw, string reason) =>
        Assert.Equal("username 'a\0b' " + reason, Refuse(UserTable.Username, raw));

    [Fact]
    public void Text_refuses_objects_that_are_not_text()
    {
        Assert.Equal("full_name '" + new DateTime(2024, 1, 1).ToString(null, System.Globalization.CultureInfo.InvariantCulture) + "' is a DateTime, not text",
            Refuse(UserTable.FullName, new DateTime(2024, 1, 1)));
        Assert.EndsWith("is a Object[], not text", Refuse(UserTable.FullName, new object[] { "a" }));
        Assert.EndsWith("is a Hashtable, not text", Refuse(UserTable.FullName, new System.Collections.Hashtable()));
    }

    [Fact]
    public void A_timestamp_takes_dates_and_text_that_parses_as_wall_clock_time()
    {
        var wall = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), Convert(UserTable.CreatedAt, "2024-01-02 03:04:05"));
        Assert.Equal(new DateTime(2024, 1, 2), Convert(UserTable.CreatedAt, "2024-01-02"));
        Assert.Equal(DateTimeKind.Unspecified, ((DateTime)Convert(UserTable.CreatedAt, wall)!).Kind);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), Convert(UserTable.CreatedAt, wall));
        var utc = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(DateTime.SpecifyKind(utc.ToLocalTime(), DateTimeKind.Unspecified), Convert(UserTable.CreatedAt, utc));
        var offset = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.FromHours(3));
        Assert.Equal(DateTime.SpecifyKind(offset.LocalDateTime, DateTimeKind.Unspecified), Convert(UserTable.CreatedAt, offset));
        Assert.Equal("created_at 'yesterday' is not a date and time (such as 2026-11-30 14:05:00)", Refuse(UserTable.CreatedAt, "yesterday"));
        Assert.Equal("created_at '5' is a Int32, not a date and time", Refuse(UserTable.CreatedAt, 5));
    }

    [Theory]
    [InlineData(null, "'$null'")]
    [InlineData("x", "'x'")]
    [InlineData("postgresql://u:Sekr1t@h/d", "'postgresql://u:***@h/d'")]
    [InlineData("0123456789012345678901234567890123456789", "'0123456789012345678901234567890123456789'")]
    [InlineData("01234567890123456789012345678901234567890", "'0123456789012345678901234567890123456...'")]
    public void A_refused_value_is_shown_quoted_masked_and_cut_short(string? raw, string shown) =>
        Assert.Equal(shown, ColumnValues.Show(raw));

    [Fact]
    public void A_refused_url_never_shows_its_password()
    {
        string problem = Refuse(UserTable.TelegramId, "postgresql://u:Sekr1t@h/d");
        Assert.DoesNotContain("Sekr1t", problem);
        Assert.Equal("telegram_id 'postgresql://u:***@h/d' is not a whole number (digits only, such as 42)", problem);
        Assert.Equal("2.5", ColumnValues.Show(2.5).Trim('\''));
    }
}
