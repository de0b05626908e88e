using PgUsers.Driver;

namespace PgUsers.UnitTests;

/// <summary>Which statements in a session get a savepoint of their own: reads only.</summary>
public sealed class ReadOnlyTextTests
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
    [InlineData("SELECT set_config_value, updated_at FROM settings")]
    public void Reads(string sql) => Assert.True(ReadOnlyText.Is(sql));

    [Theory]
    [InlineData("INSERT INTO t VALUES (1)")]
    [InlineData("update t set x = 1")]
    [InlineData("DELETE FROM t")]
    [InlineData("WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone")]
    [InlineData("SELECT * INTO copy FROM t")]
    [InlineData("SELECT * FROM t FOR UPDATE")]
    [InlineData("SELECT * FROM t FOR KEY SHARE")]
    [InlineData("CALL p()")]
    [InlineData("CREATE TABLE t(x int)")]
    [InlineData("SELECT 1; INSERT INTO t VALUES (1)")]
    [InlineData("")]
    [InlineData("-- only a comment")]
    public void Writes_or_unknown(string sql) => Assert.False(ReadOnlyText.Is(sql));
}
