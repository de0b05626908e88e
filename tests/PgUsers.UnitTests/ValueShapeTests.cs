using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace PgUsers.UnitTests;

/// <summary>The pure parts of values: PostgreSQL's text for dates DateTime cannot hold, JSON object shapes, typed arrays.</summary>
public sealed class ValueShapeTests
{
    [Theory]
    [InlineData(0L, "2000-01-01")]
    [InlineData(-730485L, "0001-01-01 BC")]
    [InlineData(-2451507L, "4713-01-01 BC")]
    [InlineData(2145031948L, "5874897-12-31")]
    [InlineData(2914694L, "9980-02-29")]
    public void Dates_are_PostgreSQL_s_ISO_text(long days, string text) => Assert.Equal(text, PgTime.Date(days));

    [Theory]
    [InlineData(0L, false, "2000-01-01 00:00:00")]
    [InlineData(-1L, true, "1999-12-31 23:59:59.999999+00")]
    [InlineData(9223371331199999999L, false, "294276-12-31 23:59:59.999999")]
    [InlineData(-211810204800000000L, true, "4713-01-01 00:00:00+00 BC")]
    [InlineData(1500L, false, "2000-01-01 00:00:00.0015")]
    public void Timestamps_are_PostgreSQL_s_ISO_text(long micros, bool zone, string text) => Assert.Equal(text, PgTime.Timestamp(micros, zone));

    [Fact]
    public void Keys_that_cannot_all_be_properties_make_an_ordered_dictionary()
    {
        Assert.IsType<PSObject>(PsValues.Object(new[] { "a", "b" }, new object?[] { 1, 2 }));
        Assert.IsType<PSObject>(PsValues.Object(new[] { "a", "a" }, new object?[] { 1, 2 }));
        var byCase = Assert.IsType<OrderedDictionary>(PsValues.Object(new[] { "a", "A" }, new object?[] { 1, 2 }));
        Assert.Equal((1, 2), ((int)byCase["a"]!, (int)byCase["A"]!));
        var empty = Assert.IsType<OrderedDictionary>(PsValues.FromJson("{\"\": 1, \"x\": {\"y\": 2, \"Y\": 3}}"));
        Assert.Equal(1L, empty[""]);
        Assert.IsType<OrderedDictionary>(empty["x"]);
    }

    [Fact]
    public void Arrays_keep_null_as_null_and_widen_only_numbers()
    {
        Assert.Equal(new int?[] { 1, null }, ParameterValues.Normalize(new object?[] { 1, null }));
        Assert.Equal(new[] { "x", null }, ParameterValues.Normalize(new ArrayList { "x", null }));
        Assert.Equal(new long?[] { 1, 5_000_000_000, null }, ParameterValues.Normalize(new object?[] { 1, 5_000_000_000, null }));
        Assert.Equal(new[] { 1.0, 0.5 }, ParameterValues.Normalize(new object?[] { 1, 0.5 }));
        Assert.Equal("{NULL,NULL}", ParameterValues.Normalize(new object?[] { null, DBNull.Value })?.ToString());
        Assert.Equal("{}", ParameterValues.Normalize(Array.Empty<object>())?.ToString());
        Assert.Equal("PgUsers.ParameterType", Assert.Throws<DbValueException>(() => ParameterValues.Normalize(new object?[] { 1, "x" })).ErrorId);
    }

    [Fact]
    public void Every_walk_stops_at_one_bound_and_at_a_cycle()
    {
        var cycle = new Hashtable();
        cycle["me"] = new object[] { cycle };
        Assert.Equal("PgUsers.ParameterCycle", Assert.Throws<DbValueException>(() => ParameterValues.Normalize(cycle)).ErrorId);
        object deep = new Hashtable();
        for (int i = 1; i < PsValues.MaxDepth; i++) deep = new Hashtable { ["a"] = deep };
        Assert.IsType<JsonText>(ParameterValues.Normalize(deep));
        Assert.Equal("PgUsers.ParameterTooDeep",
            Assert.Throws<DbValueException>(() => ParameterValues.Normalize(new Hashtable { ["a"] = deep })).ErrorId);
    }
}
