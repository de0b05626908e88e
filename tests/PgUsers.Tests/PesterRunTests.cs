using PgUsers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PgUsers.Tests;

/// <summary>
/// The Pester 5 suites for pwsh users run here too and must all pass, against a server in a container
/// (Start-DbSandbox -Container with the test image), as the design card says.
/// </summary>
[Collection("container")]
public sealed class PesterRunTests
{
    private readonly ContainerEngine _engine;
    private readonly ITestOutputHelper _output;

    public PesterRunTests(ContainerEngine engine, ITestOutputHelper output)
    {
        _engine = engine;
        _output = output;
    }

    [Fact]
    public void Every_Pester_suite_passes_against_a_container()
    {
        string pester = Path.Combine(AppContext.BaseDirectory, "Pester", "Pester.psd1");
        string runner = Path.Combine(Paths.Repo, "tools", "Invoke-PesterSuites.ps1");
        Assert.True(File.Exists(pester), "the Pester package was not copied next to the tests");
        using var shell = new Pwsh(import: false);
        var result = shell.Invoke($"& '{runner}' -PesterPath '{pester}' -Image '{_engine.Image}'");
        string summary = result.Output.LastOrDefault()?.ToString() ?? "";
        string against = result.Information.FirstOrDefault(l => l.StartsWith("Pester suites against", StringComparison.Ordinal)) ?? "";
        _output.WriteLine(against);
        _output.WriteLine(summary);
        string failures = string.Join("\n", result.Information.Where(l => l.Contains("[-]")));
        Assert.True(result.Error is null, $"{summary}\n{failures}\n{result.Error}");
        var match = System.Text.RegularExpressions.Regex.Match(summary, @"^(\d+) passed, 0 failed, 0 skipped$");
        Assert.True(match.Success, summary);
        Assert.True(int.Parse(match.Groups[1].Value) >= 7, summary);

        // The suites' server was a container of the test image, and it is gone with the run.
        var container = System.Text.RegularExpressions.Regex.Match(against, @"\(([^,()]+), container ([0-9a-f]{12})\)");
        Assert.True(container.Success, against);
        Assert.Equal(_engine.Image, container.Groups[1].Value);
        Assert.DoesNotContain(container.Groups[2].Value, ContainerEngine.SandboxContainers());
    }
}
