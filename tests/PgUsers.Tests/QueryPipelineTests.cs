using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Invoke-DbQuery with pipeline input: once per object, batched, in one transaction.</summary>
public sealed class QueryPipelineTests : DbTest
{
    public QueryPipelineTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS p; CREATE TABLE p(id bigint PRIMARY KEY, name text NOT NULL, born date, score int)'
            """);
    }

    private long Rows() => Convert.ToInt64(SqlScalar("SELECT count(*) FROM p"));

    [Fact]
    public void Csv_rows_run_once_each_and_NonQuery_reports_the_total()
    {
        var total = Shell.Values("""
            @"
            id,name,born,score,unused
            1,Ann,2001-02-03,10,x
            2,Bob,,20,y
            "@ | ConvertFrom-Csv | Invoke-DbQuery 'INSERT INTO p VALUES (@id, @name, NULLIF(@born, '''')::date, @score)' -NonQuery
            """);
        Assert.Equal(new object?[] { 2L }, total);
        Assert.Equal(new object?[] { 1L, "Ann", 10 }, Sql("SELECT id, name, score FROM p WHERE born = '2001-02-03'").Single());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Hashtables_and_objects_bind_by_key_and_Parameters_add_constants()
    {
        var total = Shell.Values("""
            $rows = @{ id = 1; name = 'a' }, [pscustomobject]@{ id = 2; name = 'b'; score = 99 }, @{ id = 3; name = 'c'; score = 5 }
            $rows | Invoke-DbQuery 'INSERT INTO p (id, name, score) VALUES (@id, @name, @score)' -Parameters @{ score = 7 } -NonQuery
            """);
        Assert.Equal(new object?[] { 3L }, total);
        // -Parameters, said explicitly, win over a same-named input property.
        Assert.Equal(new object?[] { 7, 7, 7 }, Sql("SELECT score FROM p ORDER BY id").Select(r => r[0]).ToArray());
    }

    [Fact]
    public void Many_objects_are_batched_in_one_transaction()
    {
        var total = Shell.Values("1..2500 | ForEach-Object { @{ id = $_; name = \"n$_\" } } | Invoke-DbQuery 'INSERT INTO p (id, name) VALUES (@id, @name)' -NonQuery").Single();
        Assert.Equal(2500L, total);
        // One transaction: every row carries the same xmin.
        Assert.Equal(1L, SqlScalar("SELECT count(DISTINCT xmin::text) FROM p"));
    }

    [Fact]
    public void A_failure_mid_way_leaves_nothing()
    {
        var result = Shell.Invoke("1..2500 | ForEach-Object { @{ id = [math]::Min($_, 2000); name = 'x' } } | Invoke-DbQuery 'INSERT INTO p (id, name) VALUES (@id, @name)'");
        Assert.Equal("PgUsers.Sql.23505,PgUsers.Commands.InvokeDbQueryCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Equal(0L, Rows());
        AssertNothingCheckedOut();

        var upstream = Shell.Invoke("1..1500 | ForEach-Object { if ($_ -eq 1200) { throw 'upstream' }; @{ id = $_; name = 'x' } } | Invoke-DbQuery 'INSERT INTO p (id, name) VALUES (@id, @name)'");
        Assert.Equal("upstream", upstream.Error!.Exception.Message);
        Assert.Equal(0L, Rows());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Inside_a_session_the_session_decides()
    {
        Shell.Run("""
            Use-DbSession {
                @{ id = 1; name = 'a' }, @{ id = 2; name = 'b' } | Invoke-DbQuery 'INSERT INTO p (id, name) VALUES (@id, @name)'
                Invoke-DbQuery 'UPDATE p SET score = 1'
            }
            """);
        Assert.Equal(2L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM p WHERE score = 1")));
        Shell.Run("""
            Use-DbSession {
                Invoke-DbQuery "SELECT g + 100 AS id, 'n' AS name FROM generate_series(1, 2500) g" | Invoke-DbQuery 'INSERT INTO p (id, name) VALUES (@id, @name)'
            }
            """);
        Assert.Equal(2502L, Rows());
        Shell.Run("Invoke-DbQuery 'DELETE FROM p WHERE id > 100'");
        var failed = Shell.Invoke("""
            Use-DbSession {
                Invoke-DbQuery 'DELETE FROM p'
                @{ id = 5; name = 'a' }, @{ id = 5; name = 'b' } | Invoke-DbQuery 'INSERT INTO p (id, name) VALUES (@id, @name)'
            }
            """);
        Assert.NotNull(failed.Error);
        Assert.Equal(2L, Rows());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Rows_returned_per_input_object_stream_out_and_Scalar_gives_one_value_each()
    {
        var rows = Shell.Run("""
            @{ id = 10; name = 'x' }, @{ id = 11; name = 'y' } | Invoke-DbQuery 'INSERT INTO p (id, name) VALUES (@id, @name) RETURNING id, upper(name) AS shout'
            """);
        Assert.Equal(new object?[] { 10L, 11L }, rows.Select(r => r.Prop("id")).ToArray());
        Assert.Equal(new object?[] { "X", "Y" }, rows.Select(r => r.Prop("shout")).ToArray());

        // One value per input object, in order; an execution without rows gives $null, as -Scalar alone does.
        var values = Shell.Values("""
            12, 99, 11 | ForEach-Object { @{ id = $_ } } | Invoke-DbQuery 'SELECT name FROM p WHERE id = @id' -Scalar
            """);
        Assert.Equal(new object?[] { null, null, "y" }, values);
        Assert.Equal(2L, Rows());
        AssertNothingCheckedOut();
    }
}
