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
    public void The_Docker_fallback_passes_the_password_in_the_environment_never_on_the_command_line()
    {
        // No Docker engine here: what is checked is the command the sandbox would run, where ps would show it.
        using var shell = new Pwsh();
        var assembly = AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "PgUsers");
        var method = assembly.GetType("PgUsers.Sandbox.DockerServer", throwOnError: true)!
            .GetMethod("RunCommand", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;
        var (arguments, environment) = ((string[], Dictionary<string, string>))method.Invoke(null, new object[] { "pgusers", "Zq7xDockerSecret", 55432 })!;
        Assert.DoesNotContain(arguments, a => a.Contains("Zq7xDockerSecret"));
        Assert.Contains("POSTGRES_PASSWORD", arguments);
        Assert.Equal("Zq7xDockerSecret", environment["POSTGRES_PASSWORD"]);
        Assert.Contains("127.0.0.1:55432:5432", arguments);
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
    public void A_sandbox_does_not_outlive_a_killed_process()
    {
        // A script in another process starts a sandbox, then the process is killed: no exit handler runs.
        string configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        string host = Path.Combine(Paths.Repo, "tests", "PgUsers.Host", "bin", configuration, "net10.0", "PgUsers.Host.dll");
        Assert.True(File.Exists(host), $"build the solution first: {host}");
        string script = Path.Combine(Path.GetTempPath(), $"pgusers-orphan-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(script, $"""
            Import-Module '{Paths.Manifest}'
            $s = Start-DbSandbox
            "DIR=$($s.Directory)"
            "URL=$($s.Url.RenderAsString($false))"
            Start-Sleep -Seconds 120
            """);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(host);
        info.ArgumentList.Add(script);
        using var process = System.Diagnostics.Process.Start(info)!;
        string? folder = null, url = null;
        try
        {
            while ((folder is null || url is null) && process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("DIR=")) folder = line[4..];
                if (line.StartsWith("URL=")) url = line[4..];
            }
            Assert.NotNull(folder);
            Assert.True(Accepts(url!));
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
            File.Delete(script);
        }
        Assert.True(Background.WaitUntil(() => !Directory.Exists(folder) && !Accepts(url!), TimeSpan.FromSeconds(20)),
            "the sandbox outlived its process");
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
