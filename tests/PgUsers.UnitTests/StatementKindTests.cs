using PgUsers.Driver;

namespace PgUsers.UnitTests;

/// <summary>Which statements in a session get a savepoint of their own: those that return rows.</summary>
public sealed class StatementKindTests
{
    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("  select * from users where id = @id")]
    [InlineData("-- a comment\nSELECT 1")]
    [InlineData("/* hint */ WITH x AS (SELECT 1) SELECT * FROM x")]
    [InlineData("(SELECT 1) UNION (SELECT 2)")]
    [InlineData("VALUES (1), (2)")]
    [InlineData("TABLE users")]
    [InlineData("SHOW work_mem")]
    [InlineData("INSERT INTO t VALUES (1) RETURNING id")]
    [InlineData("delete from t\nreturning *")]
    [InlineData("WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone")]
    public void Return_rows(string sql) => Assert.True(StatementKind.ReturnsRows(sql));

    [Theory]
    [InlineData("INSERT INTO t VALUES (1)")]
    [InlineData("update t set x = 1")]
    [InlineData("DELETE FROM t")]
    [InlineData("INSERT INTO t (returning_customer) VALUES (true)")]
    [InlineData("CALL p()")]
    [InlineData("CREATE TABLE t(x int)")]
    [InlineData("")]
    [InlineData("-- only a comment")]
    public void Return_none(string sql) => Assert.False(StatementKind.ReturnsRows(sql));
}
