using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The shipped examples/Replicas.ps1 runs the routed flow and a failover on Start-DbSandbox -Standby 1.</summary>
public sealed class ReplicasExampleTests
{
    [Fact]
    public async Task The_shipped_replicas_example_routes_reads_and_writes_and_survives_a_failover()
    {
        // In the console host, as a user runs it: the tables it writes with Out-Default are on its output.
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Paths.HostDll);
        info.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(Paths.Manifest)!, "examples", "Replicas.ps1"));
        using var process = System.Diagnostics.Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the example did not finish");
        // The example catches the lost connection on purpose: it still ends well, as in pwsh.
        string errors = await error;
        Assert.True(errors.Length == 0 && process.ExitCode == 0, $"exit {process.ExitCode}: {errors}\n{text}");
        // Writes on the primary, a read on the standby, a whole unit of work on the standby.
        Assert.Matches(@"port standby\s+-+ -+\s+\d+\s+False", text);
        Assert.Matches(@"port standby\s+-+ -+\s+\d+\s+True", text);
        Assert.Matches(@"Users OnStandby\s+-+ -+\s+2\s+True", text);
        // The failover: a lost connection in between, then the same engine writes on the promoted standby.
        Assert.Contains("In between: PgUsers.ConnectionLost", text);
        Assert.Matches(@"1 John Doe jd\s", text);
        Assert.Matches(@"\d+ primary ", text);
    }
}
