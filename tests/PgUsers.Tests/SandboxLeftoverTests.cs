using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// A sandbox leaves nothing in the temp folder: not when stopped (its standby's folder included), not when it
/// fails part-way. Each case runs in the console host with a temp folder of its own (TMPDIR), whose entries
/// are counted afterwards, and no process of the sandbox may outlive it.
/// </summary>
public sealed class SandboxLeftoverTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("pgusers-leftover-").FullName;

    public SandboxLeftoverTests()
    {
        // As root the servers run as postgres, who must reach their folders inside it.
        File.SetUnixFileMode(_temp, (UnixFileMode)0b111_101_101);
    }

    private (int ExitCode, string Output) Host(string script, string? path = null)
    {
        string file = Path.Combine(_temp, "case.ps1");
        File.WriteAllText(file, $"Import-Module '{Paths.Manifest}'\n{script}\n");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Paths.HostDll);
        info.ArgumentList.Add(file);
        info.Environment["TMPDIR"] = _temp;
        if (path is not null) info.Environment["PATH"] = path + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(180_000), "the script did not finish");
        File.Delete(file);
        return (process.ExitCode, output + errors.Result);
    }

    private string[] Left(params string[] expected) => Directory.GetFileSystemEntries(_temp).Select(Path.GetFileName).Except(expected).ToArray()!;

    private bool NoProcessLeft() => Background.WaitUntil(() => !Process.GetProcesses().Any(p =>
    {
        try
        {
            return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(_temp, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }), TimeSpan.FromSeconds(10));

    [Fact]
    public void A_stopped_sandbox_with_a_standby_and_a_pooler_leaves_no_folder_and_no_process()
    {
        var (exitCode, output) = Host("""
            $sandbox = Start-DbSandbox -Standby 1 -Pooler
            Invoke-DbQuery 'CREATE TABLE t(n int); INSERT INTO t VALUES (1)' -Engine $sandbox.Url
            "folders:$(@(Get-ChildItem ([IO.Path]::GetTempPath()) -Directory).Count)"
            Stop-DbSandbox $sandbox
            """);
        Assert.True(exitCode == 0, output);
        Assert.Contains("folders:3", output);
        Assert.True(Background.WaitUntil(() => Left().Length == 0, TimeSpan.FromSeconds(10)), string.Join(", ", Left()));
        Assert.True(NoProcessLeft(), "a process of the sandbox outlived it");
    }

    [Fact]
    public void A_sandbox_whose_primary_was_stopped_by_a_failover_still_stops_its_promoted_standby()
    {
        // FailoverTests' steps: the primary stops, the standby is promoted, then Stop-DbSandbox with no argument.
        var (exitCode, output) = Host("""
            $s = Start-DbSandbox -Standby 1
            $s.Primary.Stop()
            $s.Standbys[0].Promote()
            "running:$($s.IsRunning)"
            Stop-DbSandbox
            "stopped:$($s.IsRunning)"
            "left:$(@(Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'pgusers-*').Count)"
            """);
        Assert.True(exitCode == 0, output);
        Assert.Contains("running:True", output);
        Assert.Contains("stopped:False", output);
        // Counted inside, before the process's exit handler could clean up: Stop-DbSandbox did it.
        Assert.Contains("left:0", output);
        Assert.True(Background.WaitUntil(() => Left().Length == 0, TimeSpan.FromSeconds(10)), string.Join(", ", Left()));
        Assert.True(NoProcessLeft(), "a process of the sandbox outlived it");
    }

    [Fact]
    public void A_sandbox_that_fails_part_way_leaves_no_folder_and_no_process()
    {
        // A pgbouncer that starts and then fails: the primary and the standby are up by then.
        string bin = Directory.CreateDirectory(Path.Combine(_temp, "bin")).FullName;
        File.SetUnixFileMode(bin, (UnixFileMode)0b111_101_101);
        string fake = Path.Combine(bin, "pgbouncer");
        File.WriteAllText(fake, "#!/bin/sh\n[ \"$1\" = --version ] && { echo 'PgBouncer 0.0 (fake)'; exit 0; }\necho 'cannot start' >&2\nexit 1\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        var (exitCode, output) = Host("""
            try { Start-DbSandbox -Standby 1 -Pooler -ErrorAction Stop } catch { "failed:$($_.FullyQualifiedErrorId)" }
            """, path: bin);
        Assert.True(exitCode == 0, output);
        Assert.Contains("failed:PgUsers.SandboxFailed", output);
        Assert.True(Background.WaitUntil(() => Left("bin").Length == 0, TimeSpan.FromSeconds(10)), string.Join(", ", Left("bin")));
        Assert.True(NoProcessLeft(), "a process of the sandbox outlived it");
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
