using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The Pester 5 suites for pwsh users run here too, on the shared test server, and must all pass.</summary>
public sealed class PesterRunTests : DbTest
{
    public PesterRunTests(ServerFixture server) : base(server)
    {
    }

    [Fact]
    public void Every_Pester_suite_passes()
    {
        string pester = Path.Combine(AppContext.BaseDirectory, "Pester", "Pester.psd1");
        string runner = Path.Combine(Paths.Repo, "tools", "Invoke-PesterSuites.ps1");
        Assert.True(File.Exists(pester), "the Pester package was not copied next to the tests");
        Environment.SetEnvironmentVariable("PGUSERS_TEST_URL", Server.AdminUrl);
        try
        {
            using var shell = new Pwsh(import: false);
            var result = shell.Invoke($"& '{runner}' -PesterPath '{pester}'");
            string summary = result.Output.LastOrDefault()?.ToString() ?? "";
            string failures = string.Join("\n", result.Information.Where(l => l.Contains("[-]")));
            Assert.True(result.Error is null, $"{summary}\n{failures}\n{result.Error}");
            var match = System.Text.RegularExpressions.Regex.Match(summary, @"^(\d+) passed, 0 failed, 0 skipped$");
            Assert.True(match.Success, summary);
            Assert.True(int.Parse(match.Groups[1].Value) >= 7, summary);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGUSERS_TEST_URL", null);
        }
    }
}
