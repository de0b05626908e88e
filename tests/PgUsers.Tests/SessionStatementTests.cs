using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Statements inside a session: plain writes take no subtransaction (one transaction id for the whole unit),
/// while a statement returning rows that is abandoned early is undone alone and leaves the unit usable.
/// </summary>
public sealed class SessionStatementTests : DbTest
{
    public SessionStatementTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            $engine = New-DbEngine $url -PoolSize 2
            Invoke-DbQuery 'DROP TABLE IF EXISTS t; CREATE TABLE t(id int PRIMARY KEY)'
            """);
    }

    // How many transaction ids wrote the rows of t. A write under a savepoint is stamped with the subtransaction's
    // own id, so one id means the unit's writes took no subtransaction. (Counting the server's ids before and after
    // would also count those of tests running beside this one.)
    private long WritingXids() => Convert.ToInt64(SqlScalar("SELECT count(DISTINCT xmin::text) FROM t"));

    [Fact]
    public void Two_hundred_writes_in_a_session_take_one_transaction_id()
    {
        Shell.Run("""
            Use-DbSession {
                foreach ($i in 1..200) { Invoke-DbQuery 'INSERT INTO t VALUES (@i)' @{ i = $i } }
            }
            """);
        Assert.Equal(200L, SqlScalar("SELECT count(*) FROM t"));
        Assert.Equal(1L, WritingXids());
    }

    [Fact]
    public void Reads_between_writes_add_no_transaction_id_either()
    {
        Shell.Run("""
            Use-DbSession {
                foreach ($i in 1..100) {
                    $n = (Invoke-DbQuery 'SELECT count(*) AS n FROM t').n
                    Invoke-DbQuery 'INSERT INTO t VALUES (@i)' @{ i = $n + 1 }
                }
            }
            """);
        Assert.Equal(100L, SqlScalar("SELECT count(*) FROM t"));
        Assert.Equal(1L, WritingXids());
    }

    [Fact]
    public void The_first_row_of_a_30M_row_read_in_a_session_comes_back_at_once_and_the_unit_commits()
    {
        var result = Shell.Run("""
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $first = Invoke-DbQuery 'SELECT generate_series(1, 30000000) AS g' | Select-Object -First 1
                $clock.Stop()
                Invoke-DbQuery 'INSERT INTO t VALUES (2)'
                [pscustomobject]@{ G = $first.g; Ms = $clock.Elapsed.TotalMilliseconds }
            }
            """).Single();
        Assert.Equal(1, result.Prop("G"));
        Assert.True((double)result.Prop("Ms")! < 1000, $"took {result.Prop("Ms")} ms");
        Assert.Equal(2L, SqlScalar("SELECT count(*) FROM t"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Writes_that_return_rows_keep_their_savepoint_and_plain_writes_take_none()
    {
        var first = Shell.Values("""
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1), (2)'
                (Invoke-DbQuery 'INSERT INTO t SELECT g FROM generate_series(10, 200000) AS g RETURNING id' | Select-Object -First 1).id
                Invoke-DbQuery 'INSERT INTO t VALUES (3)'
            }
            """).Single();
        Assert.Equal(10, first);
        // The cut-short INSERT ... RETURNING is undone alone, as outside a session; the unit commits the rest.
        Assert.Equal(3L, SqlScalar("SELECT count(*) FROM t"));
        Assert.Equal(1L, WritingXids());
    }
}
