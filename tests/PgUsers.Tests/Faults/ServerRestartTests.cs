using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>A server restart under a live engine: invisible with -PrePing, one clear error without it; never a hang.</summary>
[Collection("server")]
public sealed class ServerRestartTests : IDisposable
{
    private readonly Pwsh _shell = new();

    public ServerRestartTests()
    {
        // Its own sandbox, so the restart cannot disturb the shared test server.
        _shell.Run("$sandbox = Start-DbSandbox");
    }

    [Fact]
    public void PrePing_survives_a_restart_invisibly_and_plain_engines_recover_after_one_error()
    {
        _shell.Run("$ping = New-DbEngine $sandbox.Url -PrePing -PoolSize 2; $plain = New-DbEngine $sandbox.Url -PoolSize 2");
        _shell.Run("Invoke-DbQuery 'SELECT 1' -Engine $ping | Out-Null; Invoke-DbQuery 'SELECT 1' -Engine $plain | Out-Null");
        _shell.Run("$sandbox.Restart()");

        Assert.Equal(1, _shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $ping").Single());

        var failed = _shell.Invoke("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $plain");
        Assert.NotNull(failed.Error);
        // A lost connection has one id, whatever the server or the socket said, so scripts can retry on it.
        Assert.StartsWith("PgUsers.ConnectionLost,", failed.Error!.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, failed.Error.CategoryInfo.Category);
        Assert.Equal(1, _shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $plain").Single());
        Assert.Equal(new object?[] { 0, 0 }, _shell.Values("$ping.CheckedOut; $plain.CheckedOut"));
    }

    public void Dispose()
    {
        _shell.Run("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox");
        _shell.Dispose();
    }
}
