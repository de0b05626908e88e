using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>New-DbEngine: laziness, the hard bound, the timeout error, overflow drain, recycle, pre-ping, live state.</summary>
public sealed class EnginePoolTests : DbTest
{
    public EnginePoolTests(ServerFixture server) : base(server)
    {
    }

    private string AppUrl(string app) => Url + "?application_name=" + app;

    [Fact]
    public void Creating_an_engine_opens_nothing_until_the_first_query()
    {
        Shell.Set("u", AppUrl("lazy")).Run("$e = New-DbEngine $u -PoolSize 3");
        Assert.Equal(0, ConnectionsNamed("lazy"));
        Assert.Equal(0, Shell.Values("$e.Size").Single());
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
        Assert.Equal(1, ConnectionsNamed("lazy"));
        var state = Shell.Run("$e")[0];
        Assert.Equal(1, state.Prop("Size"));
        Assert.Equal(0, state.Prop("CheckedOut"));
        Assert.Equal(1, state.Prop("Idle"));
    }

    [Fact]
    public void The_caller_beyond_PoolSize_plus_MaxOverflow_gets_the_QueuePool_error_after_PoolTimeout()
    {
        var engine = Shell.Set("u", AppUrl("bound")).Run("New-DbEngine $u -PoolSize 2 -MaxOverflow 1 -PoolTimeout 1.5")[0];
        var holders = Enumerable.Range(0, 3)
            .Select(_ => Background.Start("Invoke-DbQuery 'SELECT pg_sleep(4)' -Engine $engine", ("engine", engine)))
            .ToList();
        try
        {
            Assert.True(Background.WaitUntil(() => ConnectionsNamed("bound") == 3, TimeSpan.FromSeconds(15)));
            Assert.Equal(3, Shell.Values("$e = Get-DbEngine -Default; $e.CheckedOut").Single());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Scalar");
            clock.Stop();
            Assert.Equal("PgUsers.PoolTimeout,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, result.Error!.CategoryInfo.Category);
            Assert.Contains("QueuePool limit of size 2 overflow 1 reached, connection timed out, timeout 1.50", result.Error.Exception.Message);
            Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 4);
            Assert.True(ConnectionsNamed("bound") <= 3);
        }
        finally
        {
            foreach (var holder in holders)
            {
                Assert.Null(holder.Wait().Error);
                holder.Dispose();
            }
        }
        Assert.Equal(0, Shell.Values("(Get-DbEngine -Default).CheckedOut").Single());
    }

    [Fact]
    public void Overflow_connections_close_soon_after_they_are_returned()
    {
        var engine = Shell.Set("u", AppUrl("drain")).Run("New-DbEngine $u -PoolSize 1 -MaxOverflow 3")[0];
        var holders = Enumerable.Range(0, 4)
            .Select(_ => Background.Start("Invoke-DbQuery 'SELECT pg_sleep(1)' -Engine $engine", ("engine", engine)))
            .ToList();
        Assert.True(Background.WaitUntil(() => ConnectionsNamed("drain") == 4, TimeSpan.FromSeconds(15)));
        foreach (var holder in holders)
        {
            Assert.Null(holder.Wait().Error);
            holder.Dispose();
        }
        Assert.True(Background.WaitUntil(() => ConnectionsNamed("drain") <= 1, TimeSpan.FromSeconds(10)),
            $"overflow still open: {ConnectionsNamed("drain")}");
        Shell.Set("engine", engine);
        Assert.True(Background.WaitUntil(() => (int)Shell.Values("$engine.Size")[0]! <= 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(0, Shell.Values("$engine.Overflow").Single());
    }

    [Fact]
    public void PoolRecycle_replaces_a_connection_older_than_it_and_minus_one_never_does()
    {
        Shell.Run("$r = New-DbEngine $url -PoolRecycle 1 -PoolSize 1; $n = New-DbEngine $url -PoolSize 1");
        var first = Shell.Values("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $r; Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $n");
        Thread.Sleep(2500);
        var second = Shell.Values("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $r; Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $n");
        Assert.NotEqual(first[0], second[0]);
        Assert.Equal(first[1], second[1]);
        Assert.Equal(-1, Shell.Values("$n.PoolRecycle").Single());
    }

    [Fact]
    public void PrePing_replaces_a_killed_backend_invisibly()
    {
        Shell.Set("u", AppUrl("preping")).Run("$e = New-DbEngine $u -PrePing -PoolSize 2");
        var pid = Shell.Values("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar").Single();
        Sql($"SELECT pg_terminate_backend({pid})");
        Assert.True(Background.WaitUntil(() => ConnectionsNamed("preping") == 0, TimeSpan.FromSeconds(5)));
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar");
        Assert.Null(result.Error);
        Assert.NotEqual(pid, Pwsh.Unwrap(result.Output.Single()));
        Assert.Equal(0, Shell.Values("$e.CheckedOut").Single());
    }

    [Fact]
    public void Without_PrePing_a_killed_backend_is_a_clear_error_once_and_the_pool_recovers()
    {
        Shell.Set("u", AppUrl("noping")).Run("$e = New-DbEngine $u -PoolSize 1");
        var pid = Shell.Values("Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar").Single();
        Sql($"SELECT pg_terminate_backend({pid})");
        Assert.True(Background.WaitUntil(() => ConnectionsNamed("noping") == 0, TimeSpan.FromSeconds(5)));
        var failed = Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Scalar");
        Assert.NotNull(failed.Error);
        Assert.StartsWith("PgUsers.", failed.Error!.FullyQualifiedErrorId);
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar").Single());
        Assert.Equal(0, Shell.Values("$e.CheckedOut").Single());
    }

    [Fact]
    public void Remove_DbEngine_closes_its_connections_and_a_removed_engine_is_a_clear_error()
    {
        Shell.Set("u", AppUrl("removed")).Run("$e = New-DbEngine $u; Invoke-DbQuery 'SELECT 1' | Out-Null");
        Assert.Equal(1, ConnectionsNamed("removed"));
        Shell.Run("Remove-DbEngine $e");
        Assert.True(Background.WaitUntil(() => ConnectionsNamed("removed") == 0, TimeSpan.FromSeconds(5)));
        Assert.True((bool)Shell.Values("$e.IsDisposed").Single()!);
        var result = Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Engine $e");
        Assert.Equal("PgUsers.EngineDisposed,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        var noDefault = Shell.Invoke("Invoke-DbQuery 'SELECT 1'");
        Assert.Equal("PgUsers.NoEngine,PgUsers.Commands.InvokeDbQueryCommand", noDefault.Error?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Removing_the_module_disposes_the_engines_it_made()
    {
        Shell.Set("u", AppUrl("modremove")).Run("$e = New-DbEngine $u; Invoke-DbQuery 'SELECT 1' | Out-Null");
        Assert.Equal(1, ConnectionsNamed("modremove"));
        Shell.Run("Remove-Module PgUsers");
        Assert.True(Background.WaitUntil(() => ConnectionsNamed("modremove") == 0, TimeSpan.FromSeconds(5)));
        Assert.True((bool)Shell.Values("$e.IsDisposed").Single()!);
        Shell.Run($"Import-Module '{Paths.Manifest}'");
    }

    [Theory]
    [InlineData("-PoolSize 0")]
    [InlineData("-PoolSize -1")]
    [InlineData("-MaxOverflow -1")]
    [InlineData("-PoolTimeout 0")]
    [InlineData("-PoolTimeout -5")]
    [InlineData("-PoolRecycle 0")]
    [InlineData("-PoolRecycle -2")]
    [InlineData("-PoolSize abc")]
    public void Nonsense_pool_settings_are_rejected_before_anything_is_made(string arguments)
    {
        var result = Shell.Invoke($"New-DbEngine $url {arguments}");
        Assert.NotNull(result.Error);
        Assert.Matches("^(ParameterArgumentValidationError|ParameterArgumentTransformationError|CannotConvertArgumentNoMessage),PgUsers.Commands.NewDbEngineCommand$", result.Error!.FullyQualifiedErrorId);
        Assert.Empty(Shell.Run("Get-DbEngine"));
    }
}
