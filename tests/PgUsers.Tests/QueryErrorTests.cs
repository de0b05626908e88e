using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>PostgreSQL errors as ErrorRecords; the connection always goes back to the pool clean.</summary>
public sealed class QueryErrorTests : DbTest
{
    public QueryErrorTests(ServerFixture server) : base(server)
    {
        Shell.Run("$engine = New-DbEngine $url -PoolSize 1");
    }

    [Theory]
    [InlineData("Invoke-DbQuery 'SELECT @a + @b AS s' @{ b = 1 }")]
    [InlineData("Invoke-DbQuery 'SELECT @a AS s' -Scalar")]
    [InlineData("Invoke-DbQuery 'SELECT @a AS s' -NonQuery")]
    [InlineData("[pscustomobject]@{ b = 1 } | Invoke-DbQuery 'SELECT @a AS s'")]
    [InlineData("Use-DbSession { Invoke-DbQuery 'SELECT @A AS s' }")]
    public void A_forgotten_parameter_is_named_as_one_not_as_a_missing_column(string script)
    {
        var error = Shell.Invoke(script).Error!;
        Assert.StartsWith("PgUsers.Sql.42703,", error.FullyQualifiedErrorId);
        Assert.Matches("No value was given for the parameter @[aA]", error.Exception.Message);
        Assert.Contains("-Parameters", error.Exception.Message);
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
    }

    [Fact]
    public void A_column_that_does_not_exist_is_still_said_so()
    {
        var error = Shell.Invoke("Invoke-DbQuery 'SELECT a FROM (SELECT 1 AS b) t'").Error!;
        Assert.StartsWith("PgUsers.Sql.42703,", error.FullyQualifiedErrorId);
        Assert.Contains("column \"a\" does not exist", error.Exception.Message);
    }

    [Fact]
    public void A_syntax_error_carries_SQLSTATE_message_and_position()
    {
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT 1 FROMM nowhere'");
        var error = result.Error!;
        Assert.Equal("PgUsers.Sql.42601,PgUsers.Commands.InvokeDbQueryCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("SELECT 1 FROMM nowhere", error.TargetObject);
        var exception = PSObject.AsPSObject(error.Exception);
        Assert.Equal("42601", exception.Prop("SqlState"));
        Assert.Equal(16, exception.Prop("Position"));
        Assert.Contains("syntax error", error.Exception.Message);
    }

    [Fact]
    public void A_constraint_violation_carries_detail_and_constraint()
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE uq(id int PRIMARY KEY); INSERT INTO uq VALUES (1)'");
        var error = Shell.Invoke("Invoke-DbQuery 'INSERT INTO uq VALUES (1)'").Error!;
        Assert.Equal("PgUsers.Sql.23505,PgUsers.Commands.InvokeDbQueryCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        var exception = PSObject.AsPSObject(error.Exception);
        Assert.Equal("Key (id)=(1) already exists.", exception.Prop("Detail"));
        Assert.Equal("uq_pkey", exception.Prop("ConstraintName"));
        Assert.Contains("DETAIL: Key (id)=(1) already exists.", error.Exception.Message);
    }

    [Fact]
    public void The_server_s_hint_is_the_recommended_action()
    {
        var error = Shell.Invoke("Invoke-DbQuery 'SELECT no_such_function(1)'").Error!;
        Assert.Equal("PgUsers.Sql.42883,PgUsers.Commands.InvokeDbQueryCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("explicit type casts", error.ErrorDetails?.RecommendedAction);
    }

    [Fact]
    public void Try_catch_and_ErrorAction_work_as_users_expect()
    {
        var caught = Shell.Values("try { Invoke-DbQuery 'SELECT 1/0' } catch { $_.FullyQualifiedErrorId; $_.Exception.SqlState }");
        Assert.Equal(new object?[] { "PgUsers.Sql.22012,PgUsers.Commands.InvokeDbQueryCommand", "22012" }, caught);
        var typed = Shell.Values("try { Invoke-DbQuery 'SELECT 1/0' } catch [PgUsers.DbSqlException] { 'typed' }");
        Assert.Equal("typed", typed.Single());
    }

    [Fact]
    public void After_an_error_the_connection_is_back_in_the_pool_and_clean()
    {
        Shell.Invoke("Invoke-DbQuery 'SELECT 1/0'");
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        // The same (only) connection serves the next call, outside any failed transaction.
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
        Assert.Equal("idle", Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar; Invoke-DbQuery 'SELECT state FROM pg_stat_activity WHERE pid = pg_backend_pid()' -Scalar")[1] is string s && s == "active" ? "idle" : "bad");
        Assert.Equal("", Shell.Values("Invoke-DbQuery \"SELECT current_setting('search_path') = '\"\"`$user\"\", public'\" -Scalar").Single() is true ? "" : "search_path changed");
    }

    [Fact]
    public void Session_state_set_by_one_call_does_not_leak_into_the_next()
    {
        Shell.Run("Invoke-DbQuery \"SET statement_timeout = '1234ms'\"");
        Assert.NotEqual("1234ms", Shell.Values("Invoke-DbQuery 'SHOW statement_timeout' -Scalar").Single());
    }

    [Fact]
    public void CommandTimeout_cancels_the_statement_on_the_server()
    {
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT pg_sleep(30)' -CommandTimeout 1");
        Assert.Equal("PgUsers.CommandTimeout,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, result.Error!.CategoryInfo.Category);
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'")) == 0, TimeSpan.FromSeconds(5)));
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
    }

    [Fact]
    public void A_statement_timeout_from_the_server_is_a_clear_error()
    {
        var result = Shell.Invoke("Invoke-DbQuery \"SET LOCAL statement_timeout = '200ms'; SELECT pg_sleep(5)\"");
        Assert.Equal("PgUsers.Sql.57014,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationStopped, result.Error!.CategoryInfo.Category);
    }
}
