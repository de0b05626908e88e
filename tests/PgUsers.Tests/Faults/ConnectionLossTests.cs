using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>
/// A killed backend (pg_terminate_backend) is a lost connection, whatever moment it strikes: one ErrorId,
/// PgUsers.ConnectionLost with category ConnectionError, the SQLSTATE kept in the message and the exception.
/// </summary>
public sealed class ConnectionLossTests : DbTest
{
    public ConnectionLossTests(ServerFixture server) : base(server)
    {
    }

    private void Terminate(string application) =>
        SqlScalar($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{application}'");

    private static void AssertLost(ErrorRecord? error)
    {
        Assert.NotNull(error);
        Assert.True(error!.FullyQualifiedErrorId.StartsWith("PgUsers.ConnectionLost,"), error.FullyQualifiedErrorId + ": " + error.Exception);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Equal("DbConnectionLostException", error.Exception.GetType().Name);
    }

    [Fact]
    public void An_idle_pooled_connection_killed_is_one_lost_connection_then_the_engine_recovers()
    {
        Shell.Run("$engine = New-DbEngine \"${url}?application_name=killed_idle\" -PoolSize 1; Invoke-DbQuery 'SELECT 1' | Out-Null");
        Terminate("killed_idle");
        var failed = Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Scalar");
        AssertLost(failed.Error);
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
    }

    [Fact]
    public void A_backend_killed_mid_statement_is_a_lost_connection_naming_57P01()
    {
        var engine = Shell.Run("New-DbEngine \"${url}?application_name=killed_busy\" -PoolSize 1")[0];
        using var running = Background.Start("Invoke-DbQuery 'SELECT pg_sleep(60) AS killed_marker' -Engine $engine", ("engine", engine));
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%killed_marker%' AND pid <> pg_backend_pid()")) == 1, TimeSpan.FromSeconds(15)));
        Terminate("killed_busy");
        var result = running.Wait(TimeSpan.FromSeconds(30));
        AssertLost(result.Error);
        Assert.Contains("57P01", result.Error!.Exception.Message);
        Assert.Equal("57P01", result.Error.Exception.GetType().GetProperty("SqlState")!.GetValue(result.Error.Exception));
        Assert.Equal(0, Shell.Set("engine", engine).Values("$engine.CheckedOut").Single());
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $engine").Single());
    }

    [Fact]
    public void A_session_whose_backend_was_killed_says_so_on_every_use_and_still_disposes_clean()
    {
        Shell.Run("$engine = New-DbEngine \"${url}?application_name=killed_session\" -PoolSize 1; $s = New-DbSession; Invoke-DbQuery 'SELECT 1' -Session $s | Out-Null");
        Terminate("killed_session");
        AssertLost(Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Session $s").Error);
        // Not an argument error or a plain SQL error on the next call either: the connection is gone.
        AssertLost(Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Session $s").Error);
        Assert.Contains("lost", Shell.Invoke("$s.Commit()").Error!.Exception.Message);
        Shell.Run("$s.Dispose()");
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
    }

    [Fact]
    public void With_PrePing_an_idle_connection_killed_is_replaced_invisibly()
    {
        Shell.Run("$engine = New-DbEngine \"${url}?application_name=killed_preping\" -PoolSize 1 -PrePing; Invoke-DbQuery 'SELECT 1' | Out-Null");
        Terminate("killed_preping");
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
    }
}
