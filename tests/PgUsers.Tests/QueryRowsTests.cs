using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Invoke-DbQuery's rows: one object per row, columns in order, NULL as $null, values typed, nothing dropped.</summary>
public sealed class QueryRowsTests : DbTest
{
    public QueryRowsTests(ServerFixture server) : base(server)
    {
        Shell.Run("New-DbEngine $url | Out-Null");
    }

    [Fact]
    public void Rows_have_the_columns_in_order_and_SQL_NULL_is_null()
    {
        var rows = Shell.Run("Invoke-DbQuery 'SELECT 1 AS b, NULL::text AS a, ''x'' AS c UNION ALL SELECT 2, ''y'', NULL'");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new[] { "b", "a", "c" }, rows[0].PropNames());
        Assert.Null(rows[0].Prop("a"));
        Assert.Null(rows[1].Prop("c"));
        Assert.True((bool)Shell.Values("$null -eq (Invoke-DbQuery 'SELECT NULL::int AS n').n").Single()!);
        Assert.Empty(Shell.Run("Invoke-DbQuery 'SELECT 1 WHERE false'"));
    }

    [Fact]
    public void Duplicate_column_names_get_distinct_property_names()
    {
        var row = Shell.Run("Invoke-DbQuery 'SELECT 1 AS id, 2 AS id, 3 AS \"ID\", 4'").Single();
        Assert.Equal(4, row.PropNames().Length);
        Assert.Equal(new object?[] { 1, 2, 3, 4 }, row.PropNames().Select(n => row.Prop(n)).ToArray());
        Assert.Equal(4, row.PropNames().Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Values_are_typed_as_Npgsql_maps_them_and_no_Npgsql_type_leaks()
    {
        var row = Shell.Run("""
            Invoke-DbQuery "SELECT 1::int AS i, 2::bigint AS l, 1.5::numeric AS n, true AS b, 'héllo'::text AS t,
                '2024-01-02 03:04:05'::timestamp AS ts, '00000000-0000-0000-0000-000000000001'::uuid AS g,
                ARRAY[1,2,3] AS arr, '{""a"":1}'::jsonb AS j, interval '1 hour' AS iv, point(1,2) AS p, int4range(1,5) AS r"
            """).Single();
        Assert.IsType<int>(row.Prop("i"));
        Assert.IsType<long>(row.Prop("l"));
        Assert.Equal(1.5m, row.Prop("n"));
        Assert.Equal(true, row.Prop("b"));
        Assert.Equal("héllo", row.Prop("t"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), row.Prop("ts"));
        Assert.Equal(new Guid("00000000-0000-0000-0000-000000000001"), row.Prop("g"));
        Assert.Equal(new[] { 1, 2, 3 }, row.Prop("arr"));
        Assert.Equal(1L, Assert.IsType<PSObject>(row.Properties["j"].Value).Prop("a"));
        Assert.Equal(TimeSpan.FromHours(1), row.Prop("iv"));
        Assert.Equal("(1,2)", row.Prop("p"));
        Assert.Equal("[1,5)", row.Prop("r"));
        Assert.All(row.PropNames(), n => Assert.DoesNotContain("Npgsql", row.Prop(n)?.GetType().Assembly.GetName().Name ?? ""));
    }

    [Fact]
    public void Scalar_returns_the_first_value_and_null_for_NULL_or_no_rows()
    {
        Assert.Equal(42L, Shell.Values("Invoke-DbQuery 'SELECT 42::bigint, 7' -Scalar").Single());
        Assert.True((bool)Shell.Values("$null -eq (Invoke-DbQuery 'SELECT NULL' -Scalar)").Single()!);
        Assert.True((bool)Shell.Values("$null -eq (Invoke-DbQuery 'SELECT 1 WHERE false' -Scalar)").Single()!);
    }

    [Fact]
    public void NonQuery_returns_rows_affected()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE nq(x int)'");
        Assert.Equal(3L, Shell.Values("Invoke-DbQuery 'INSERT INTO nq SELECT generate_series(1,3)' -NonQuery").Single());
        Assert.Equal(2L, Shell.Values("Invoke-DbQuery 'DELETE FROM nq WHERE x > 1' -NonQuery").Single());
    }

    [Fact]
    public void Every_result_set_of_a_multi_statement_text_streams_out()
    {
        var rows = Shell.Run("Invoke-DbQuery 'SELECT 1 AS a; SELECT 2 AS b, 3 AS c'");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new[] { "a" }, rows[0].PropNames());
        Assert.Equal(new[] { "b", "c" }, rows[1].PropNames());
    }

    [Fact]
    public void All_statements_of_one_call_commit_together_or_not_at_all()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE tx(x int)'");
        var result = Shell.Invoke("Invoke-DbQuery 'INSERT INTO tx VALUES (1); INSERT INTO tx VALUES (2); SELECT 1/0'");
        Assert.Equal("PgUsers.Sql.22012,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM tx"));
        Shell.Run("Invoke-DbQuery 'INSERT INTO tx VALUES (1); INSERT INTO tx VALUES (2)'");
        Assert.Equal(2L, SqlScalar("SELECT count(*) FROM tx"));
    }
}
