using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Start-DbSandbox / Stop-DbSandbox: a real throwaway server, gone when stopped or when the module goes.</summary>
[Collection("server")]
public sealed class SandboxTests
{
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
        Assert.False(ServerFixture.Accepts(url));
    }

    [Fact]
    public void Standbys_follow_the_primary_and_stop_with_the_pooler_when_the_sandbox_stops()
    {
        using var shell = new Pwsh();
        var sandbox = shell.Run("$s = Start-DbSandbox -Standby 1 -Pooler; $s")[0];
        var urls = shell.Values("$s.Url, $s.StandbyUrls[0], $s.PoolerUrl | ForEach-Object { $_.RenderAsString($false) }").Cast<string>().ToList();
        Assert.All(urls, url => Assert.StartsWith("postgresql://pgusers:", url));
        Assert.Equal(3, urls.Select(u => new Uri(u.Replace("postgresql://", "http://")).Port).Distinct().Count());
        Assert.Equal($"127.0.0.1:{sandbox.Prop("Port")},127.0.0.1:{shell.Values("$s.Standbys[0].Port").Single()}",
            shell.Values("$s.MultiHostUrl.Hosts -join ','").Single());
        Assert.Equal(new object?[] { "Primary", "Standby", "Pooler" }, shell.Values("$s.Primary.Role; $s.Standbys.Role; $s.Pooler.Role"));
        string table = (string)shell.Values("$s | Format-Table | Out-String -Width 300").Single()!;
        Assert.Contains($"{shell.Values("$s.Standbys[0].Port").Single()}", table);
        Assert.Contains("Pooler", table);

        // What the primary writes, the standby replays; the pooler reaches the primary.
        var seen = shell.Values("""
            Invoke-DbQuery 'CREATE TABLE replicated AS SELECT 42 AS answer' -Engine (New-DbEngine $s.Url)
            $lsn = Invoke-DbQuery 'SELECT pg_current_wal_insert_lsn()::text' -Scalar
            $standby = New-DbEngine $s.StandbyUrls[0]
            while (-not (Invoke-DbQuery 'SELECT pg_last_wal_replay_lsn() >= @l::pg_lsn' @{ l = $lsn } -Scalar)) { Start-Sleep -Milliseconds 20 }
            Invoke-DbQuery 'SELECT pg_is_in_recovery()' -Scalar
            Invoke-DbQuery 'SELECT answer FROM replicated' -Scalar
            Invoke-DbQuery 'SELECT inet_server_port()' -Scalar -Engine (New-DbEngine $s.PoolerUrl)
            """);
        Assert.Equal(new object?[] { true, 42, sandbox.Prop("Port") }, seen);

        var folders = shell.Values("$s.Primary.Directory; $s.Standbys.Directory; $s.Pooler.Directory").Cast<string>().ToList();
        Assert.All(folders, folder => Assert.True(Directory.Exists(folder)));
        shell.Run("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox $s");
        Assert.All(urls, url => Assert.False(ServerFixture.Accepts(url), url));
        Assert.All(folders, folder => Assert.False(Directory.Exists(folder), folder));
    }

    [Fact]
    public void Removing_the_module_stops_the_sandboxes_it_started()
    {
        using var shell = new Pwsh();
        string url = (string)shell.Values("$s = Start-DbSandbox; $s.Url.RenderAsString($false)").Single()!;
        Assert.True(ServerFixture.Accepts(url));
        shell.Run("Remove-Module PgUsers");
        Assert.False(ServerFixture.Accepts(url));
    }

    [Fact]
    public void A_sandbox_does_not_outlive_a_killed_process()
    {
        // A script in another process starts a sandbox, then the process is killed: no exit handler runs.
        string host = Paths.HostDll;
        string script = Path.Combine(Path.GetTempPath(), $"pgusers-orphan-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(script, $$"""
            Import-Module '{{Paths.Manifest}}'
            $s = Start-DbSandbox -Standby 1 -Pooler
            "DIRS=$(@($s.Primary.Directory; $s.Standbys.Directory; $s.Pooler.Directory) -join '|')"
            "URLS=$(@($s.Url; $s.StandbyUrls; $s.PoolerUrl).ForEach({ $_.RenderAsString($false) }) -join '|')"
            Start-Sleep -Seconds 120
            """);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(host);
        info.ArgumentList.Add(script);
        using var process = System.Diagnostics.Process.Start(info)!;
        string[]? folders = null, urls = null;
        try
        {
            while ((folders is null || urls is null) && process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("DIRS=")) folders = line[5..].Split('|');
                if (line.StartsWith("URLS=")) urls = line[5..].Split('|');
            }
            Assert.Equal(3, folders?.Length);
            Assert.All(urls!, url => Assert.True(ServerFixture.Accepts(url), url));
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
            File.Delete(script);
        }
        // The primary's, the standby's and PgBouncer's watchdogs each see to their own.
        Assert.True(Background.WaitUntil(() => !folders!.Any(Directory.Exists) && !urls!.Any(ServerFixture.Accepts), TimeSpan.FromSeconds(20)),
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
