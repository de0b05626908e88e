using System.Collections;
using System.Management.Automation;

namespace PgUsers.UnitTests;

/// <summary>The table room's pure parts: strict conversion by kind, the binding rule, -AutoCreate's types and DDL.</summary>
public sealed class TableTests
{
    private static TableColumn Column(ColumnType type, string sqlType = "t", bool array = false, int? maxLength = null, int? precision = null, int? scale = null,
        string[]? labels = null, bool padded = false) =>
        new("v", type, sqlType) { Nullable = true, IsArray = array, MaxLength = maxLength, Precision = precision, Scale = scale, EnumLabels = labels, Padded = padded };

    private static object? Good(TableColumn column, object? raw)
    {
        Assert.True(ColumnValues.TryConvert(column, raw, out var value, out var problem), problem);
        return value;
    }

    private static string Bad(TableColumn column, object? raw)
    {
        Assert.False(ColumnValues.TryConvert(column, raw, out var value, out var problem), $"{raw} was taken as {value}");
        return problem!;
    }

    [Fact]
    public void Whole_numbers_are_checked_against_each_integer_type_range()
    {
        Assert.Equal((short)-32768, Good(Column(ColumnType.SmallInt), "-32768"));
        Assert.Equal("v '32768' is out of range for smallint (-32768 to 32767)", Bad(Column(ColumnType.SmallInt), 32768));
        Assert.Equal(2147483647, Good(Column(ColumnType.Integer), 2147483647L));
        Assert.Contains("is out of range for integer", Bad(Column(ColumnType.Integer), "2147483648"));
        Assert.Equal("v 'x' is not a whole number (digits only, such as 42)", Bad(Column(ColumnType.Integer), "x"));
    }

    [Fact]
    public void Numeric_checks_scale_and_precision_and_never_rounds()
    {
        var money = Column(ColumnType.Numeric, precision: 5, scale: 2);
        Assert.Equal(1.5m, Good(money, "1.50"));
        Assert.Equal(0.1m, Good(money, 0.1));
        Assert.Contains("has 3 decimal places; the column keeps 2", Bad(money, 1.005m));
        Assert.Contains("too many digits before the decimal point", Bad(money, 1000));
        Assert.Equal(123456789.123456789m, Good(Column(ColumnType.Numeric), "123456789.123456789"));
        Assert.Contains("is not a number", Bad(money, "1,5"));
    }

    [Fact]
    public void Floats_booleans_and_dates()
    {
        Assert.Equal(double.PositiveInfinity, Good(Column(ColumnType.Double), "Infinity"));
        Assert.Equal(1.5f, Good(Column(ColumnType.Real), 1.5));
        Assert.Contains("is out of range for real", Bad(Column(ColumnType.Real), 1e300));
        Assert.Equal(true, Good(Column(ColumnType.Boolean), "YES"));
        Assert.Equal(false, Good(Column(ColumnType.Boolean), 0));
        Assert.Contains("is not a boolean", Bad(Column(ColumnType.Boolean), "maybe"));
        Assert.Equal(new DateTime(2024, 2, 29), Good(Column(ColumnType.Date), new DateOnly(2024, 2, 29)));
        Assert.Contains("has a time of day", Bad(Column(ColumnType.Date), new DateTime(2024, 1, 1, 1, 0, 0)));
        var instant = (DateTime)Good(Column(ColumnType.TimestampTz), new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.FromHours(2)))!;
        Assert.Equal((DateTimeKind.Utc, 10), (instant.Kind, instant.Hour));
    }

    [Fact]
    public void Text_counts_code_points_and_char_n_drops_trailing_spaces()
    {
        Assert.Equal("😀😀", Good(Column(ColumnType.Varchar, maxLength: 2), "😀😀"));
        Assert.Contains("is 3 characters long", Bad(Column(ColumnType.Varchar, maxLength: 2), "abc"));
        Assert.Equal("ab   ", Good(Column(ColumnType.Varchar, maxLength: 2, padded: true), "ab   "));
        Assert.Contains("NUL", Bad(Column(ColumnType.Varchar), "a\0"));
        Assert.Contains("half of a UTF-16 surrogate pair (U+D800) at character 2", Bad(Column(ColumnType.Varchar), "a\ud800b"));
        Assert.Contains("(U+DC00) at character 3", Bad(Column(ColumnType.Varchar), "😀\udc00"));
        Assert.Contains("(U+D83D) at character 3", Bad(Column(ColumnType.Varchar), "😀\ud83d"));
    }

    [Fact]
    public void Uuid_bytes_addresses_intervals_json_and_labels()
    {
        Assert.Equal(Guid.Empty, Good(Column(ColumnType.Uuid), "00000000-0000-0000-0000-000000000000"));
        Assert.Equal(new byte[] { 10, 27 }, Good(Column(ColumnType.Bytea), "\\x0a1b"));
        Assert.Equal(new byte[] { 1, 2 }, Good(Column(ColumnType.Bytea), new object[] { 1, 2 }));
        Assert.Contains("is text, not bytes", Bad(Column(ColumnType.Bytea), "abc"));
        Assert.Equal("::1/128", Good(Column(ColumnType.Inet), "::1"));
        Assert.Equal("10.0.0.0/8", Good(Column(ColumnType.Cidr), "10.0.0.0/8"));
        Assert.Contains("bits set to the right", Bad(Column(ColumnType.Cidr), "10.0.0.1/8"));
        Assert.Contains("netmask", Bad(Column(ColumnType.Inet), "10.0.0.1/33"));
        Assert.Equal(TimeSpan.FromHours(26), Good(Column(ColumnType.Interval), "P1DT2H"));
        Assert.Equal("{\"a\":1}", Good(Column(ColumnType.Jsonb), new Hashtable { ["a"] = 1 }));
        Assert.Equal("\"  \"", Good(Column(ColumnType.Json), "\"  \""));
        Assert.Contains("is not valid JSON", Bad(Column(ColumnType.Jsonb), "{"));
        Assert.Equal("b", Good(Column(ColumnType.Enum, labels: new[] { "a", "b" }), "b"));
        Assert.Contains("is not one of the labels 'a', 'b'", Bad(Column(ColumnType.Enum, labels: new[] { "a", "b" }), "B"));
    }

    [Fact]
    public void Arrays_are_typed_one_dimensional_and_named_by_element()
    {
        Assert.Equal(new int?[] { 1, null, 3 }, Good(Column(ColumnType.Integer, array: true), new object?[] { 1, null, "3" }));
        Assert.EndsWith("element 2 'x' is not a whole number (digits only, such as 42)", Bad(Column(ColumnType.Integer, array: true), new object[] { 1, "x" }));
        Assert.Contains("not an array", Bad(Column(ColumnType.Integer, array: true), "1,2"));
        Assert.Contains("one-dimensional", Bad(Column(ColumnType.Integer, array: true), new object[] { new object[] { 1 } }));
    }

    [Fact]
    public void A_name_binds_exactly_then_by_case_then_ignoring_underscores_and_says_when_it_is_ambiguous()
    {
        var table = new TableDescription("t", new[] { new TableColumn("order_id", ColumnType.Integer, "integer"), new TableColumn("Name", ColumnType.Varchar, "text"),
            new TableColumn("name", ColumnType.Varchar, "text"), new TableColumn("a_b", ColumnType.Varchar, "text"), new TableColumn("ab", ColumnType.Varchar, "text") }, Array.Empty<string>());
        Assert.Equal("order_id", table.Match("OrderId", out _)?.Name);
        Assert.Equal("Name", table.Match("Name", out _)?.Name);
        Assert.Null(table.Match("NAME", out var ambiguity));
        Assert.Equal("Name, name", ambiguity);
        Assert.Equal("ab", table.Match("AB", out _)?.Name);
        Assert.Null(table.Match("colour", out ambiguity));
        Assert.Null(ambiguity);
    }

    [Fact]
    public void AutoCreate_types_follow_the_values()
    {
        Assert.Equal("integer", TableDdl.SqlTypeOf(1));
        Assert.Equal("bigint", TableDdl.SqlTypeOf(1L));
        Assert.Equal("numeric", TableDdl.SqlTypeOf(1m));
        Assert.Equal("double precision", TableDdl.SqlTypeOf(1.0));
        Assert.Equal("boolean", TableDdl.SqlTypeOf(PSObject.AsPSObject(true)));
        Assert.Equal("timestamp", TableDdl.SqlTypeOf(DateTime.Now));
        Assert.Equal("timestamptz", TableDdl.SqlTypeOf(DateTimeOffset.Now));
        Assert.Equal("uuid", TableDdl.SqlTypeOf(Guid.Empty));
        Assert.Equal("bytea", TableDdl.SqlTypeOf(new byte[1]));
        Assert.Equal("jsonb", TableDdl.SqlTypeOf(new Hashtable()));
        Assert.Equal("bigint[]", TableDdl.SqlTypeOf(new object?[] { null, 2L }));
        Assert.Equal("text", TableDdl.SqlTypeOf(null));
        Assert.Equal("text", TableDdl.SqlTypeOf("x"));
    }

    [Fact]
    public void The_DDL_quotes_every_name()
    {
        var name = new TableName("my schema", "Odd \"x\"", "\"my schema\".\"Odd \"\"x\"\"\"");
        Assert.Equal("CREATE TABLE \"my schema\".\"Odd \"\"x\"\"\" (\n    \"Id\" integer,\n    \"a\"\"b\" text,\n    PRIMARY KEY (\"Id\")\n)",
            TableDdl.CreateTable(name, new[] { ("Id", "integer"), ("a\"b", "text") }, new[] { "Id" }));
        Assert.Throws<ArgumentException>(() => TableDdl.CreateTable(name, Array.Empty<(string, string)>()));
    }
}
