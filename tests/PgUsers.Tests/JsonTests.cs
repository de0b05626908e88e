using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>json and jsonb as PowerShell objects both ways; -JsonAs String keeps the text; arrays bind to arrays.</summary>
public sealed class JsonTests : DbTest
{
    public JsonTests(ServerFixture server) : base(server)
    {
        Shell.Run("New-DbEngine $url | Out-Null");
    }

    [Fact]
    public void Jsonb_and_json_come_back_as_objects_and_arrays_so_ConvertTo_Json_writes_real_json()
    {
        var row = Shell.Run("""Invoke-DbQuery "SELECT '{""a"": 1, ""b"": [true, null, 2.5, ""x""]}'::jsonb AS j, '[1, {""c"": ""d""}]'::json AS arr" """).Single();
        var j = Assert.IsType<PSObject>(row.Properties["j"].Value);
        Assert.Equal(1L, j.Prop("a"));
        Assert.Equal(new object?[] { true, null, 2.5m, "x" }, Assert.IsType<object[]>(j.Prop("b")));
        Assert.Equal("d", Shell.Values("""(Invoke-DbQuery "SELECT '[1, {""c"": ""d""}]'::json AS arr").arr[1].c""").Single());
        Assert.Equal("{\"a\":1,\"b\":[true,null,2.5,\"x\"]}",
            Shell.Values("""(Invoke-DbQuery "SELECT '{""a"": 1, ""b"": [true, null, 2.5, ""x""]}'::jsonb AS j").j | ConvertTo-Json -Compress""").Single());
        Assert.Equal(1L, Shell.Values("""(Invoke-DbQuery "SELECT '{""a"": 1}'::jsonb" -Scalar).a""").Single());
    }

    [Fact]
    public void JsonAs_String_keeps_the_text()
    {
        Assert.Equal("{\"a\": 1}", Shell.Values("""Invoke-DbQuery "SELECT '{""a"":1}'::jsonb" -Scalar -JsonAs String""").Single());
        Assert.Equal("[1, 2]", Shell.Values("""(Invoke-DbQuery "SELECT '[1, 2]'::jsonb AS j" -JsonAs String).j""").Single());
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT 1' -JsonAs Text");
        Assert.Equal("ParameterArgumentValidationError,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
    }

    [Fact]
    public void An_object_round_trips_through_a_jsonb_column_equal()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE docs (id int, body jsonb, raw json)'");
        Shell.Run("""
            $doc = [pscustomobject]@{ name = 'Zoë'; tags = @('a', 'b'); nested = @{ n = 42; ok = $true; none = $null }; ratio = 0.5 }
            Invoke-DbQuery 'INSERT INTO docs VALUES (1, @body, @raw)' @{ body = $doc; raw = $doc }
            $global:doc = $doc
            """);
        Assert.Equal("Zoë", SqlScalar("SELECT body->>'name' FROM docs"));
        Assert.Equal("42", SqlScalar("SELECT raw->'nested'->>'n' FROM docs"));
        var same = Shell.Values("""
            $back = (Invoke-DbQuery 'SELECT raw FROM docs').raw
            (ConvertTo-Json $back -Depth 5 -Compress) -eq (ConvertTo-Json $doc -Depth 5 -Compress)
            """).Single();
        Assert.Equal(true, same);
        // jsonb keeps the values, not the key order.
        Assert.Equal(new object?[] { "Zoë", 42L, true, null, 0.5m, "b" }, Shell.Values("""
            $b = (Invoke-DbQuery 'SELECT body FROM docs').body
            $b.name, $b.nested.n, $b.nested.ok, $b.nested.none, $b.ratio, $b.tags[1]
            """));
        // An array of hashtables is a JSON array; a hashtable alone works in a jsonb operator too.
        Assert.Equal(2, Shell.Values("Invoke-DbQuery 'SELECT jsonb_array_length(@a)' @{ a = @(@{ x = 1 }, @{ x = 2 }) } -Scalar").Single());
        Assert.Equal(true, Shell.Values("Invoke-DbQuery 'SELECT body @> @p FROM docs' @{ p = @{ name = 'Zoë' } } -Scalar").Single());
    }

    [Fact]
    public void PowerShell_arrays_bind_to_PostgreSQL_arrays()
    {
        Assert.Equal(new[] { 1, 2, 3 }, Shell.Values("Invoke-DbQuery 'SELECT @a::int[]' @{ a = @(1, 2, 3) } -Scalar").Single());
        Assert.Equal(new[] { "x", "y" }, Shell.Values("Invoke-DbQuery 'SELECT @a::text[]' @{ a = @('x', 'y') } -Scalar").Single());
        Assert.Equal(2L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM generate_series(1, 5) g WHERE g = ANY(@ids)' @{ ids = 2, 4 } -Scalar").Single());
    }


    [Fact]
    public void Every_key_comes_back_keys_differing_by_case_or_empty_as_an_ordered_dictionary()
    {
        Shell.Set("doc", "{\"a\": 1, \"A\": 2, \"b\": {\"\": 3}}");
        foreach (var type in new[] { "jsonb", "json" })
        {
            var keys = Shell.Values($$"""
                $j = Invoke-DbQuery 'SELECT @d::{{type}}' @{ d = $doc } -Scalar
                $j.GetType().Name; $j['a']; $j['A']; $j['b'].GetType().Name; $j['b']['']
                """);
            Assert.Equal(new object?[] { "OrderedDictionary", 1L, 2L, "OrderedDictionary", 3L }, keys);
        }
        // Keys that fit properties stay a PSCustomObject; a repeated json key keeps the last value, as jsonb does.
        Assert.Equal(new object?[] { "PSCustomObject", 2L },
            Shell.Values("""$j = Invoke-DbQuery "SELECT '{""a"": 1, ""a"": 2}'::json" -Scalar; $j.psobject.BaseObject.GetType().Name; $j.a"""));
        // What was read goes back equal.
        Assert.Equal(true, Shell.Values("""
            $j = Invoke-DbQuery 'SELECT @d::jsonb' @{ d = $doc } -Scalar
            Invoke-DbQuery 'SELECT @j::jsonb = @d::jsonb' @{ j = $j; d = $doc } -Scalar
            """).Single());
    }

    [Fact]
    public void Send_and_read_share_one_depth_bound_so_what_is_read_can_be_sent_back_and_deeper_says_JsonAs_String()
    {
        // 512 levels: read, and sent back equal.
        const string Deep512 = "(repeat('{\"a\":', 511) || '{}' || repeat('}', 511))::jsonb";
        Shell.Set("deep", Deep512);
        Assert.Equal(true, Shell.Values("""
            $j = (Invoke-DbQuery "SELECT $deep AS j").j
            Invoke-DbQuery "SELECT @j::jsonb = $deep" @{ j = $j } -Scalar
            """).Single());
        // 513 levels: reading says how to get the text; sending says the bound.
        var read = Shell.Invoke("Invoke-DbQuery \"SELECT (repeat('[', 513) || repeat(']', 513))::jsonb AS j\"");
        Assert.Equal("PgUsers.JsonTooDeep,PgUsers.Commands.InvokeDbQueryCommand", read.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, read.Error!.CategoryInfo.Category);
        Assert.Contains("-JsonAs String", read.Error.Exception.Message);
        Assert.Equal(1026, Shell.Values("(Invoke-DbQuery \"SELECT (repeat('[', 513) || repeat(']', 513))::jsonb AS j\" -JsonAs String).j.Length").Single());
        var sent = Shell.Invoke("$v = @{}; foreach ($i in 1..512) { $v = @{ a = $v } }; Invoke-DbQuery 'SELECT @j::jsonb' @{ j = $v } -JsonAs String");
        Assert.Equal("PgUsers.ParameterTooDeep,PgUsers.Commands.InvokeDbQueryCommand", sent.Error?.FullyQualifiedErrorId);
        Assert.Contains("512", sent.Error!.Exception.Message);
        AssertNothingCheckedOut();
    }
}
