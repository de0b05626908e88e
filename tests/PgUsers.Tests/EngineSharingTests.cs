using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The session default is per runspace (16 runspaces sharing one engine: Faults.LoadFaultTests).</summary>
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
}
