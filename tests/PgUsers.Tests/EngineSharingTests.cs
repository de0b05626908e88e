using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The session default is per runspace; one engine object may serve many runspaces at once.</summary>
public sealed class EngineSharingTests : DbTest
{
    public EngineSharingTests(ServerFixture server) : base(server)
    {
    }

    [Fact]
    public void The_newest_engine_is_the_default_in_its_runspace_only()
    {
        Shell.Run("$a = New-DbEngine $url -Name a; $b = New-DbEngine $url -Name b");
        Assert.Equal("b", Shell.Values("(Get-DbEngine -Default).Name").Single());
        Assert.Equal(new object?[] { "b", "a" }, Shell.Values("(Get-DbEngine).Name"));
        Shell.Run("Remove-DbEngine $b");
        Assert.Equal("a", Shell.Values("(Get-DbEngine -Default).Name").Single());

        var missing = Shell.Invoke("Remove-DbEngine -Name nosuch; Get-DbEngine -Name nosuch");
        Assert.Equal(new[] { "PgUsers.EngineNotFound,PgUsers.Commands.RemoveDbEngineCommand", "PgUsers.EngineNotFound,PgUsers.Commands.GetDbEngineCommand" },
            missing.Errors.Select(e => e.FullyQualifiedErrorId).ToArray());
        Assert.Empty(Shell.Invoke("Remove-DbEngine -Name 'no*'").Errors);
        Assert.Equal("ParameterBindingException", Shell.Invoke("Get-DbEngine -Name a -Default").Error?.Exception.GetType().Name);

        using var other = new Pwsh();
        Assert.Empty(other.Run("Get-DbEngine"));
        var result = other.Invoke("Invoke-DbQuery 'SELECT 1'");
        Assert.Equal("PgUsers.NoEngine,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("New-DbEngine", result.Error!.Exception.Message);
    }

    [Fact]
    public async Task Sixteen_runspaces_share_one_engine_and_the_server_never_sees_more_than_its_bound()
    {
        string app = "shared16";
        Shell.Set("u", Url + "?application_name=" + app).Set("manifest", Paths.Manifest);
        Shell.Run("$engine = New-DbEngine $u -PoolSize 3 -MaxOverflow 2 -PoolTimeout 60");
        int peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ConnectionsNamed(app));
                Thread.Sleep(20);
            }
        });
        var sums = Shell.Values("""
            1..16 | ForEach-Object -ThrottleLimit 16 -Parallel {
                Import-Module $using:manifest
                $engine = $using:engine
                $sum = 0
                foreach ($i in 1..150) { $sum += Invoke-DbQuery 'SELECT @i::int' @{ i = $i } -Scalar -Engine $engine }
                $sum
            }
            """);
        sampling.Cancel();
        await sampler;
        Assert.Equal(16, sums.Count);
        Assert.All(sums, s => Assert.Equal(150 * 151 / 2, Convert.ToInt32(s)));
        Assert.InRange(peak, 1, 5);
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
        Assert.InRange((int)Shell.Values("$engine.Size").Single()!, 1, 5);
    }
}
