using Npgsql;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Start-DbSandbox / Stop-DbSandbox: a real throwaway server, gone when stopped or when the module goes.</summary>
[Collection("server")]
public sealed class SandboxTests
{
    private static bool Accepts(string url)
    {
        try
        {
            using var connection = new NpgsqlConnection(ServerFixture.ToConnectionString(url));
            connection.Open();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    [Fact]
    public void A_sandbox_serves_queries_and_is_deleted_when_stopped()
    {
        using var shell = new Pwsh();
        var sandbox = shell.Run("$s = Start-DbSandbox; $s")[0];
        Assert.Equal("Local", sandbox.Prop("Kind"));
        Assert.True((bool)sandbox.Prop("IsRunning")!);
        string folder = (string)sandbox.Prop("Directory")!;
        Assert.True(Directory.Exists(folder));
        Assert.StartsWith("postgresql://pgusers:***@127.0.0.1:", sandbox.Prop("Url")!.ToString());
        Assert.Equal(1, shell.Values("New-DbEngine $s.Url | Out-Null; Invoke-DbQuery 'SELECT 1' -Scalar").Single());
        string url = (string)shell.Values("$s.Url.RenderAsString($false)").Single()!;
        shell.Run("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox $s");
        Assert.False(Directory.Exists(folder));
        Assert.False(Accepts(url));
    }

    [Fact]
    public void Removing_the_module_stops_the_sandboxes_it_started()
    {
        using var shell = new Pwsh();
        string url = (string)shell.Values("$s = Start-DbSandbox; $s.Url.RenderAsString($false)").Single()!;
        Assert.True(Accepts(url));
        shell.Run("Remove-Module PgUsers");
        Assert.False(Accepts(url));
    }

    [Fact]
    public void A_folder_without_server_binaries_is_a_clear_error()
    {
        using var shell = new Pwsh();
        var error = shell.Invoke("Start-DbSandbox -BinDirectory /nonexistent").Error;
        Assert.Equal("PgUsers.SandboxFailed,PgUsers.Commands.StartDbSandboxCommand", error?.FullyQualifiedErrorId);
        Assert.Contains("/nonexistent", error!.Exception.Message);
    }
}
