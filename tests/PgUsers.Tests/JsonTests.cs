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
}
