using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Every column is readable: user-defined and extension types, composites and records, json as objects.</summary>
public sealed class TypeReadingTests : DbTest
{
    public TypeReadingTests(ServerFixture server) : base(server)
    {
        Shell.Run("New-DbEngine $url | Out-Null");
    }

    /// <summary>The value of column v, read streamed and with -Scalar; both must agree (as JSON text).</summary>
    private object? Both(string select)
    {
        Shell.Set("q", select);
        // A PSCustomObject stays wrapped (its properties live on the wrapper); anything else is unwrapped.
        var streamed = Shell.Run("Invoke-DbQuery $q").Single().Properties["v"].Value is var v && v is PSObject { BaseObject: not PSCustomObject } wrapped
            ? wrapped.BaseObject : v;
        var json = Shell.Values("ConvertTo-Json -InputObject (Invoke-DbQuery $q).v -Compress -Depth 5").Single();
        var scalarJson = Shell.Values("ConvertTo-Json -InputObject (Invoke-DbQuery $q -Scalar) -Compress -Depth 5").Single();
        Assert.Equal(json, scalarJson);
        return streamed;
    }

    [Fact]
    public void Enum_domain_composite_citext_hstore_and_an_enum_array_read_streamed_and_as_scalar()
    {
        Shell.Run("""
            Invoke-DbQuery @'
            CREATE TYPE mood AS ENUM ('ok', 'sad');
            CREATE DOMAIN happy AS mood CHECK (VALUE = 'ok');
            CREATE TYPE pair AS (a int, b text, m mood, j jsonb);
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE EXTENSION IF NOT EXISTS hstore;
            CREATE TABLE feelings (id int, m mood, h happy, ms mood[], p pair, c citext, kv hstore);
            INSERT INTO feelings VALUES (1, 'sad', 'ok', '{ok,sad}', ROW(7, 'x', 'ok', '{"k": [1, 2]}'), 'MiXeD', 'a=>1, b=>NULL');
            '@
            """);
        Assert.Equal("sad", Both("SELECT m AS v FROM feelings"));
        Assert.Equal("ok", Both("SELECT h AS v FROM feelings"));
        Assert.Equal(new[] { "ok", "sad" }, Both("SELECT ms AS v FROM feelings"));
        Assert.Equal("MiXeD", Both("SELECT c AS v FROM feelings"));
        var pair = Assert.IsType<PSObject>(Both("SELECT p AS v FROM feelings"));
        Assert.Equal(new[] { "a", "b", "m", "j" }, pair.PropNames());
        Assert.Equal(7, pair.Prop("a"));
        Assert.Equal("ok", pair.Prop("m"));
        Assert.Equal(2L, Shell.Values("(Invoke-DbQuery 'SELECT p FROM feelings').p.j.k[1]").Single());
        Assert.Equal("1", Shell.Values("(Invoke-DbQuery 'SELECT kv FROM feelings').kv['a']").Single());
        Assert.Equal(true, Shell.Values("$null -eq (Invoke-DbQuery 'SELECT kv FROM feelings').kv['b']").Single());
        // The whole row at once, and the table through Select-Object and ConvertTo-Json.
        string json = (string)Shell.Values("Invoke-DbQuery 'SELECT * FROM feelings' | ConvertTo-Json -Compress -Depth 5").Single()!;
        Assert.Contains("\"p\":{\"a\":7,\"b\":\"x\",\"m\":\"ok\",\"j\":{\"k\":[1,2]}}", json);
    }

    [Fact]
    public void An_array_of_composites_and_an_anonymous_record_come_back_as_arrays()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TYPE point3 AS (x int, y int, z int)'");
        var points = Assert.IsType<object[]>(Both("SELECT ARRAY[ROW(1,2,3)::point3, NULL, ROW(4,5,6)::point3] AS v"));
        Assert.Equal(3, points.Length);
        Assert.Null(points[1]);
        Assert.Equal(6, ((PSObject)points[2]!).Prop("z"));
        Assert.Equal(new object?[] { 1, "x", null }, Assert.IsType<object[]>(Both("SELECT ROW(1, 'x', NULL::int) AS v")));
    }

    [Fact]
    public void A_type_made_by_another_client_after_the_engine_connected_still_reads()
    {
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
        // Made behind the engine's back: its pool's type cache has never heard of it.
        Sql("CREATE TYPE later AS ENUM ('first', 'second'); CREATE TYPE later_pair AS (a int, b later)");
        Assert.Equal("second", Shell.Values("Invoke-DbQuery \"SELECT 'second'::later\" -Scalar").Single());
        Assert.Equal("second", Shell.Values("Invoke-DbQuery \"SELECT 'second'::later AS v\" | ForEach-Object v").Single());
        // The meeting reloaded the cache: a composite of it now reads with its field names.
        Assert.Equal("first", Shell.Values("(Invoke-DbQuery \"SELECT ROW(1, 'first')::later_pair AS v\").v.b").Single());
    }

    [Fact]
    public void Built_in_types_without_a_dotnet_twin_read_as_their_text_or_number()
    {
        var row = Shell.Run("""
            Invoke-DbQuery "SELECT 'pg_class'::regclass AS rc, int4multirange(int4range(1, 2), int4range(5, 7)) AS mr,
                'a & b'::tsquery AS q, '(1,2),(3,4)'::box AS bx, B'101'::bit(3) AS bits"
            """).Single();
        Assert.Equal(1259u, row.Prop("rc"));
        Assert.Equal("{[1,2),[5,7)}", row.Prop("mr"));
        Assert.Equal("'a' & 'b'", row.Prop("q"));
        Assert.Equal("(3,4),(1,2)", row.Prop("bx"));
        Assert.All(row.PropNames(), n => Assert.DoesNotContain("Npgsql", row.Prop(n)?.GetType().Assembly.GetName().Name ?? ""));
    }

    [Fact]
    public void Values_with_no_dotnet_form_read_as_text_or_BigInteger_instead_of_failing()
    {
        // No TimeSpan holds months: such an interval is PostgreSQL's text; one without months stays a TimeSpan.
        Assert.Equal("1 year 2 mons 3 days 04:05:06.5", Both("SELECT '14 months 3 days 4:05:06.5'::interval AS v"));
        Assert.Equal(TimeSpan.FromDays(2), Both("SELECT '2 days'::interval AS v"));
        Assert.Equal(System.Numerics.BigInteger.Parse("12345678901234567890123456789012345678901234567890"),
            Both("SELECT 12345678901234567890123456789012345678901234567890::numeric AS v"));
        var row = Shell.Run("Invoke-DbQuery \"SELECT 1 AS a, '1 mon'::interval AS b, 'x' AS c\"").Single();
        Assert.Equal(new object?[] { 1, "1 mon", "x" }, row.PropNames().Select(n => row.Prop(n)).ToArray());
    }


    [Fact]
    public void Numeric_NaN_and_infinities_read_as_doubles_and_dates_beyond_DateTime_as_PostgreSQL_text()
    {
        Assert.Equal(double.NaN, Both("SELECT 'NaN'::numeric AS v"));
        Assert.Equal(double.PositiveInfinity, Both("SELECT 'Infinity'::numeric AS v"));
        Assert.Equal(double.NegativeInfinity, Both("SELECT '-Infinity'::numeric AS v"));
        Assert.Equal("5874897-01-01", Both("SELECT '5874897-01-01'::date AS v"));
        Assert.Equal("0044-03-15 BC", Both("SELECT '0044-03-15 BC'::date AS v"));
        Assert.Equal("10000-01-01 00:00:00+00", Both("SELECT '10000-01-01 00:00:00+00'::timestamptz AS v"));
        // Npgsql itself turns this one into a wrong DateTime in 1999, without an error.
        Assert.Equal("294276-12-31 23:59:59.5", Both("SELECT '294276-12-31 23:59:59.5'::timestamp AS v"));
        // The text is PostgreSQL's own, whatever the date.
        var pairs = Shell.Run("""
            Invoke-DbQuery "SET TimeZone = 'UTC'; SELECT d AS v, d::text AS t FROM unnest(ARRAY['4713-01-01 BC', '0001-01-01 BC', '10000-02-29', '2000000-12-31']::date[]) d"
            Invoke-DbQuery "SET TimeZone = 'UTC'; SELECT d AS v, d::text AS t FROM unnest(ARRAY['4713-11-24 00:00:00.000001+00 BC', '29228-01-01 12:34:56.789+00']::timestamptz[]) d"
            """);
        Assert.All(pairs, p => Assert.Equal(p.Prop("t"), p.Prop("v")));
        // In range as before; infinity is DateTime's MaxValue and MinValue.
        Assert.Equal(new DateTime(2024, 2, 29, 12, 0, 0), Both("SELECT '2024-02-29 12:00'::timestamp AS v"));
        Assert.Equal(DateTime.MaxValue, Both("SELECT 'infinity'::timestamptz AS v"));
        Assert.Equal(DateTime.MinValue, Both("SELECT '-infinity'::timestamp AS v"));
        // Such a value in a later row no longer fails the query.
        Assert.Equal(new object?[] { 1m, double.NaN, 2.5m },
            Shell.Values("Invoke-DbQuery \"SELECT v FROM (VALUES (1::numeric), ('NaN'), (2.5)) t(v)\" | ForEach-Object v"));
    }

    [Fact]
    public void Arrays_holding_NULL_read_with_null_elements_in_any_row()
    {
        Assert.Equal(new int?[] { 1, null, 3 }, Both("SELECT ARRAY[1, NULL, 3] AS v"));
        Assert.Equal(new bool?[] { true, null }, Both("SELECT ARRAY[true, NULL] AS v"));
        Assert.Equal(new object?[] { "x", null }, ((Array)Both("SELECT ARRAY['x', NULL] AS v")!).Cast<object?>().ToArray());
        var rows = Shell.Values("Invoke-DbQuery 'SELECT v FROM (VALUES (ARRAY[1, 2]), (ARRAY[NULL, 2]::int[])) t(v)' | ForEach-Object { ,$_.v }");
        Assert.Equal(new[] { 1, 2 }, rows[0]);
        Assert.Equal(new int?[] { null, 2 }, rows[1]);
    }
}
