using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>@name and :name are bound parameters; casts, literals, identifiers, comments and dollar quotes are left alone.</summary>
public sealed class QueryParameterTests : DbTest
{
    public QueryParameterTests(ServerFixture server) : base(server)
    {
        Shell.Run("New-DbEngine $url | Out-Null");
    }

    [Fact]
    public void At_and_colon_placeholders_bind_from_a_hashtable()
    {
        var row = Shell.Run("Invoke-DbQuery 'SELECT @a::int + 1 AS x, :b AS y' @{ a = 41; b = 'text' }").Single();
        Assert.Equal(42, row.Prop("x"));
        Assert.Equal("text", row.Prop("y"));
    }

    [Fact]
    public void Parameters_bind_from_an_object_s_properties()
    {
        var value = Shell.Values("Invoke-DbQuery 'SELECT :name || @suffix' -Parameters ([pscustomobject]@{ name = 'ab'; suffix = 'c' }) -Scalar").Single();
        Assert.Equal("abc", value);
    }

    [Fact]
    public void Casts_literals_quoted_identifiers_comments_and_dollar_quotes_are_untouched()
    {
        var row = Shell.Run("""
            Invoke-DbQuery @'
            SELECT '1'::int AS cast_,
                   ':notparam @notparam' AS literal_,
                   1 AS "a:b@c",
                   $$ :inside @inside $$ AS dollar_,
                   $tag$ :x $tag$ AS tagged_,
                   :real AS real_ -- :comment @comment
                   /* :block @block */
            '@ @{ real = 5 }
            """).Single();
        Assert.Equal(1, row.Prop("cast_"));
        Assert.Equal(":notparam @notparam", row.Prop("literal_"));
        Assert.Equal(1, row.Prop("a:b@c"));
        Assert.Equal(" :inside @inside ", row.Prop("dollar_"));
        Assert.Equal(" :x ", row.Prop("tagged_"));
        Assert.Equal(5, row.Prop("real_"));
    }

    [Fact]
    public void A_value_is_data_never_SQL()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE victims(name text)'; Invoke-DbQuery \"INSERT INTO victims VALUES ('x')\"");
        var evil = "x'); DROP TABLE victims; --";
        Shell.Set("evil", evil);
        Assert.Equal(evil, Shell.Values("Invoke-DbQuery 'SELECT @v' @{ v = $evil } -Scalar").Single());
        Assert.Equal(0L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM victims WHERE name = :v' @{ v = $evil } -Scalar").Single());
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM victims"));
    }

    [Fact]
    public void PowerShell_arrays_bind_as_typed_arrays_for_ANY()
    {
        Assert.Equal(2L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM generate_series(1,10) g WHERE g = ANY(@ids)' @{ ids = @(3, 7) } -Scalar").Single());
        Assert.Equal(1L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM (VALUES (''a''), (''b'')) v(s) WHERE s = ANY(@names)' @{ names = @('b') } -Scalar").Single());
    }

    [Fact]
    public void Null_and_dates_bind()
    {
        Assert.True((bool)Shell.Values("Invoke-DbQuery 'SELECT @v::text IS NULL' @{ v = $null } -Scalar").Single()!);
        Assert.Equal(new DateOnly(2024, 5, 6), Shell.Values("Invoke-DbQuery 'SELECT @d::date' @{ d = [datetime]'2024-05-06' } -Scalar").Single());
    }

    [Fact]
    public void Verbose_tells_the_sql_time_and_rows_but_never_parameter_values()
    {
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT @secret AS s FROM generate_series(1,3)' @{ secret = 'TopSecretValue' } -Verbose | Out-Null");
        Assert.Null(result.Error);
        string verbose = string.Join("\n", result.Verbose);
        Assert.Contains("SELECT @secret AS s FROM generate_series(1,3)", verbose);
        Assert.Matches(@"3 rows in [0-9.]+ ms", verbose);
        Assert.DoesNotContain("TopSecretValue", verbose);
    }
}
