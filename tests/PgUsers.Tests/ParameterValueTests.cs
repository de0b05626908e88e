using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// What a user's value becomes as a parameter, whatever its shape: NULL in arrays stays NULL, an empty array takes
/// its type from the SQL, a mixed array is widened or refused clearly, and a value that holds itself or nests too
/// deep is a clean error naming the parameter, never a crashed process.
/// </summary>
public sealed class ParameterValueTests : DbTest
{
    public ParameterValueTests(ServerFixture server) : base(server)
    {
        Shell.Run("New-DbEngine $url | Out-Null");
    }

    [Fact]
    public void A_value_that_holds_itself_is_an_error_naming_the_parameter_for_every_container()
    {
        var cycles = new Dictionary<string, string>
        {
            ["array"] = "$v = [object[]]::new(1); $v[0] = $v",
            ["array inside an array"] = "$v = [object[]]::new(2); $v[0] = 1; $v[1] = @(2, $v)",
            ["hashtable"] = "$v = @{}; $v.me = $v",
            ["ArrayList"] = "$v = [System.Collections.ArrayList]::new(); $null = $v.Add($v)",
            ["PSCustomObject"] = "$v = [pscustomobject]@{ n = 1 }; $v | Add-Member self $v",
            ["list in a hashtable"] = "$l = [System.Collections.Generic.List[object]]::new(); $v = @{ l = $l }; $l.Add($v)",
        };
        foreach (var (shape, make) in cycles)
        {
            var result = Shell.Invoke(make + "; Invoke-DbQuery 'SELECT @j AS j' @{ j = $v }");
            Assert.True(result.Error?.FullyQualifiedErrorId == "PgUsers.ParameterCycle,PgUsers.Commands.InvokeDbQueryCommand",
                $"{shape}: {result.Error?.FullyQualifiedErrorId}: {result.Error?.Exception.Message}");
            Assert.Equal(ErrorCategory.InvalidArgument, result.Error!.CategoryInfo.Category);
            Assert.StartsWith("The parameter @j: the value holds itself", result.Error.Exception.Message);
        }
        // The same value twice (not a cycle) is fine; the caught error leaves the process and the pool as they were.
        Assert.Equal("[{\"n\": 1}, {\"n\": 1}]", Shell.Values("$h = @{ n = 1 }; Invoke-DbQuery 'SELECT @j::jsonb::text' @{ j = @($h, $h) } -Scalar").Single());
        Assert.Equal("caught", Shell.Values("$a = [object[]]::new(1); $a[0] = $a; try { Invoke-DbQuery 'SELECT @j AS j' @{ j = $a } } catch { 'caught' }").Single());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Nesting_deeper_than_the_bound_is_an_error_for_arrays_too_and_pipeline_input_names_the_property()
    {
        var deep = Shell.Invoke("$v = 1; foreach ($i in 1..100000) { $v = @(,$v) }; Invoke-DbQuery 'SELECT @j' @{ j = $v }");
        Assert.Equal("PgUsers.ParameterTooDeep,PgUsers.Commands.InvokeDbQueryCommand", deep.Error?.FullyQualifiedErrorId);
        Assert.Contains("@j", deep.Error!.Exception.Message);
        var piped = Shell.Invoke("$h = @{}; $h.me = $h; [pscustomobject]@{ doc = $h } | Invoke-DbQuery 'SELECT @doc'");
        Assert.Equal("PgUsers.ParameterCycle,PgUsers.Commands.InvokeDbQueryCommand", piped.Error?.FullyQualifiedErrorId);
        Assert.StartsWith("The parameter @doc:", piped.Error!.Exception.Message);
        Assert.Equal("PgUsers.ParameterType,PgUsers.Commands.InvokeDbQueryCommand",
            Shell.Invoke("Invoke-DbQuery 'SELECT @a' @{ a = @(@(1, 2), @(3, 4)) }").Error?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Null_in_a_sent_array_is_NULL_for_every_element_type()
    {
        Assert.Equal("{1,NULL,3}", Shell.Values("Invoke-DbQuery 'SELECT @a::text' @{ a = @(1, $null, 3) } -Scalar").Single());
        Assert.Equal("{t,NULL}", Shell.Values("Invoke-DbQuery 'SELECT @a::text' @{ a = @($true, $null) } -Scalar").Single());
        foreach (var element in new[] { "[long]1", "1.5", "[decimal]2.5", "'x'", "[datetime]'2024-01-02'", "[guid]::NewGuid()", "[int16]3", "[char]'c'" })
        {
            var isNull = Shell.Values($"Invoke-DbQuery 'SELECT (@a)[2] IS NULL AND (@a)[1] IS NOT NULL AND (@a)[3] IS NULL' @{{ a = @({element}, $null, $null) }} -Scalar").Single();
            Assert.True(true.Equals(isNull), element);
        }
        Shell.Run("Invoke-DbQuery 'CREATE TABLE arrays (ints int[], texts text[])'");
        Shell.Run("Invoke-DbQuery 'INSERT INTO arrays VALUES (@i, @t)' @{ i = @($null, 7); t = [System.Collections.Generic.List[object]]@('a', $null) }");
        Assert.Equal("{NULL,7}|{a,NULL}", SqlScalar("SELECT ints::text || '|' || texts::text FROM arrays"));
    }

    [Fact]
    public void Empty_and_all_null_arrays_take_their_type_from_the_SQL_or_say_how_to_cast()
    {
        Assert.Equal(0, Shell.Values("Invoke-DbQuery 'SELECT cardinality(@a::int[])' @{ a = @() } -Scalar").Single());
        Assert.Equal("{NULL,NULL}", Shell.Values("Invoke-DbQuery 'SELECT @a::bigint[]::text' @{ a = @($null, $null) } -Scalar").Single());
        Shell.Run("Invoke-DbQuery 'CREATE TABLE typed (ids bigint[] NOT NULL)'");
        Shell.Run("Invoke-DbQuery 'INSERT INTO typed VALUES (@e), (@n)' @{ e = @(); n = @($null) }");
        Assert.Equal("{}|{NULL}", SqlScalar("SELECT string_agg(ids::text, '|' ORDER BY cardinality(ids)) FROM typed"));
        Assert.Equal(0L, Shell.Values("Invoke-DbQuery 'SELECT count(*) FROM generate_series(1, 3) g WHERE g = ANY(@ids)' @{ ids = @() } -Scalar").Single());

        var untyped = Shell.Invoke("Invoke-DbQuery 'SELECT cardinality(@a)' @{ a = @() }");
        Assert.Equal("PgUsers.ParameterType,PgUsers.Commands.InvokeDbQueryCommand", untyped.Error?.FullyQualifiedErrorId);
        Assert.Contains("@a::int[]", untyped.Error!.Exception.Message);
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Mixed_arrays_widen_numbers_and_refuse_other_mixes_clearly()
    {
        Assert.Equal("{1,5000000000,NULL}", Shell.Values("Invoke-DbQuery 'SELECT @a::text' @{ a = @(1, 5000000000, $null) } -Scalar").Single());
        Assert.Equal("{1,2.5}", Shell.Values("Invoke-DbQuery 'SELECT @a::text' @{ a = @(1, [decimal]2.5) } -Scalar").Single());
        Assert.Equal("{1,0.25}", Shell.Values("Invoke-DbQuery 'SELECT @a::text' @{ a = @(1, 0.25) } -Scalar").Single());
        var mixed = Shell.Invoke("Invoke-DbQuery 'SELECT @a::text[]' @{ a = @(1, 'x') }");
        Assert.Equal("PgUsers.ParameterType,PgUsers.Commands.InvokeDbQueryCommand", mixed.Error?.FullyQualifiedErrorId);
        Assert.Contains("@a", mixed.Error!.Exception.Message);
        Assert.Contains("[string[]]", mixed.Error.Exception.Message);
        Assert.Equal("{1,x}", Shell.Values("Invoke-DbQuery 'SELECT @a::text' @{ a = [string[]]@(1, 'x') } -Scalar").Single());
    }
}
