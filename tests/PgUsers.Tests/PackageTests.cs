using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// The package a pwsh user installs, in real pwsh (the PowerShell .NET tool pinned in
/// .config/dotnet-tools.json): tools/Test-PgUsersPackage.ps1 runs ./build.ps1 -Task Package, then,
/// in a pwsh whose home is a temporary folder, publishes the .nupkg to a file repository, installs
/// it with Install-PSResource, imports PgUsers by name and runs the installed examples/Quickstart.ps1
/// against this class's database. One run serves both tests.
/// </summary>
public sealed class PackageTests : DbTest
{
    private static readonly object Gate = new();
    private static (int ExitCode, string Output)? _run;

    public PackageTests(ServerFixture server) : base(server)
    {
    }

    private string Version => (string)Shell.Values($"(Import-PowerShellDataFile '{Path.Combine(Paths.Repo, "module", "PgUsers.psd1")}').ModuleVersion").Single()!;

    private string PackagePath => Path.Combine(Paths.Repo, "out", $"PgUsers.{Version}.nupkg");

    [Fact]
    public void Installed_from_a_repository_and_imported_by_name_it_runs_the_quickstart()
    {
        var (exitCode, output) = PackageRun();
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains($"package: PgUsers.{Version}.nupkg", lines);
        Assert.Contains($"found: PgUsers {Version}", lines);
        // By name, from the current user's module folder of the temporary home.
        Assert.Contains($"imported: PgUsers {Version} from ~/.local/share/powershell/Modules/PgUsers/{Version}", lines);
        // What the quickstart shows a user.
        Assert.Equal(2, lines.Count(l => l == "postgresql+psycopg2://notebook:***@postgres:5432/notebook"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+2 Jane Doe\s+janedoe\s+en\s+.*\s1\s*$"));
        Assert.Contains("What if: Performing the operation \"Remove user\" on target \"2\".", lines);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^engine\d+ postgresql://\S+:\*\*\*@127\.0\.0\.1:\d+/\S+ +10\+20 "));
        Assert.Equal(2L, SqlScalar("SELECT count(*) FROM users"));
        Assert.Equal(1L, SqlScalar("SELECT referrer_id FROM users WHERE full_name = 'Jane Doe'"));
    }

    [Fact]
    public void The_package_holds_the_module_folder_and_its_dependencies_and_nothing_else()
    {
        var (exitCode, output) = PackageRun();
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        using var package = ZipFile.OpenRead(PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();

        // NuGet's own parts, and the metadata a gallery page shows.
        var nuget = entries.Where(e => e.StartsWith("_rels/") || e.StartsWith("package/") || e == "[Content_Types].xml" || e == "PgUsers.nuspec").ToList();
        Assert.Contains("PgUsers.nuspec", nuget);
        using (var stream = package.GetEntry("PgUsers.nuspec")!.Open())
        {
            var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
            Assert.Equal("PgUsers", Field("id"));
            Assert.Equal(Version, Field("version"));
            Assert.StartsWith("https://", Field("projectUrl"));
            Assert.EndsWith("/LICENSE", Field("licenseUrl"));
            Assert.Contains("CHANGELOG.md", Field("releaseNotes"));
            Assert.Superset(new HashSet<string> { "PSModule", "PostgreSQL", "PSEdition_Core" }, Field("tags").Split(' ').ToHashSet());
        }

        // The module folder as built: what module/ ships, the cmdlet assembly, the license, and in bin/
        // the engine with Npgsql and its dependencies; never the System.Management.Automation reference
        // assembly, nothing of the tests.
        var files = entries.Except(nuget).ToHashSet();
        var shipped = Directory.GetFiles(Path.Combine(Paths.Repo, "module"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(Paths.Repo, "module"), f).Replace('\\', '/'));
        var expected = shipped.Concat(new[] { "PgUsers.dll", "LICENSE", "bin/PgUsers.Driver.dll", "bin/Npgsql.dll", "bin/Microsoft.Extensions.Logging.Abstractions.dll" }).ToHashSet();
        Assert.Superset(expected, files);
        var others = files.Except(expected).ToList();
        Assert.All(others, f => Assert.Matches(@"^bin/[^/]+\.dll$", f));
        Assert.DoesNotContain(files, f => Regex.IsMatch(f, @"System\.Management\.Automation|Microsoft\.PowerShell|xunit|Test|Pester|PgUsers\.Host|Benchmark|\.pdb$", RegexOptions.IgnoreCase));
    }

    /// <summary>Runs tools/Test-PgUsersPackage.ps1 once per test run (it builds the package) in the pinned pwsh.</summary>
    private (int ExitCode, string Output) PackageRun()
    {
        lock (Gate)
        {
            if (_run is null)
            {
                var restore = Dotnet(new[] { "tool", "restore" }, new Dictionary<string, string?>(), TimeSpan.FromMinutes(2));
                Assert.True(restore.ExitCode == 0, $"dotnet tool restore failed:\n{restore.Output}");
                var environment = new Dictionary<string, string?> { ["PGUSERS_URL"] = Url, ["NO_COLOR"] = "1", ["POWERSHELL_UPDATECHECK"] = "Off", ["POWERSHELL_TELEMETRY_OPTOUT"] = "1" };
                _run = Dotnet(new[] { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(Paths.Repo, "tools", "Test-PgUsersPackage.ps1") },
                    environment, TimeSpan.FromMinutes(4));
            }
            return _run.Value;
        }
    }

    private static (int ExitCode, string Output) Dotnet(IEnumerable<string> arguments, Dictionary<string, string?> environment, TimeSpan timeout)
    {
        // The SDK names the dotnet that runs the tests; in the repository, so the tool manifest is found.
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Paths.Repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new Xunit.Sdk.XunitException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}
