using System.Management.Automation.Language;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// The pwsh-side scripts as the PowerShell parser sees them: each parses with no error, each suite has
/// Describe and It blocks and imports the built module, and build.ps1 offers the tasks the README
/// promises. (PesterRunTests runs the suites themselves.)
/// </summary>
public sealed class PesterSuiteTests
{
    private static string PesterFolder => Path.Combine(Paths.Repo, "tests", "pester");

    private static IEnumerable<string> SuiteNames() =>
        Directory.GetFiles(PesterFolder, "*.Tests.ps1").Select(f => Path.GetFileName(f)).OrderBy(f => f);

    public static TheoryData<string> Suites() => new(SuiteNames());

    public static TheoryData<string> Scripts() => new()
    {
        "build.ps1",
        "tools/New-PgUsersHelp.ps1",
        "tools/Invoke-PesterSuites.ps1",
        "tools/Test-PgUsersPackage.ps1",
        "tests/pester/TestHelpers.ps1",
    };

    private static ScriptBlockAst Parse(string path)
    {
        var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, $"{path}:\n" + string.Join("\n", errors.Select(e => $"  line {e.Extent.StartLineNumber}: {e.Message}")));
        return ast;
    }

    private static List<string> CommandNames(Ast ast) =>
        ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>()
            .Select(c => c.GetCommandName()).Where(n => n is not null).Select(n => n!).ToList();

    [Fact]
    public void The_suites_named_in_the_design_are_there()
    {
        var names = SuiteNames().ToHashSet();
        Assert.Superset(new HashSet<string> { "Url.Tests.ps1", "Engine.Tests.ps1", "Query.Tests.ps1", "GetDbUser.Tests.ps1", "Sandbox.Tests.ps1" }, names);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_suite_parses_and_has_Describe_and_It_blocks(string suite)
    {
        var ast = Parse(Path.Combine(PesterFolder, suite));
        var commands = CommandNames(ast);
        Assert.Contains("Describe", commands);
        Assert.Contains("It", commands);
        Assert.Contains("BeforeAll", commands);
        // The suites test the built module, as a user imports it.
        Assert.Contains("Import-Module", commands);
        Assert.Contains("PgUsers.psd1", File.ReadAllText(Path.Combine(PesterFolder, suite)));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void A_script_parses_with_no_error(string script)
    {
        Parse(Path.Combine(Paths.Repo, script));
    }

    [Fact]
    public void Build_script_offers_the_tasks_and_configurations()
    {
        var ast = Parse(Path.Combine(Paths.Repo, "build.ps1"));
        string[] ValidValues(string parameter) => ast.ParamBlock!.Parameters
            .Single(p => p.Name.VariablePath.UserPath == parameter).Attributes
            .OfType<AttributeAst>().Single(a => a.TypeName.Name == "ValidateSet")
            .PositionalArguments.Cast<StringConstantExpressionAst>().Select(s => s.Value).ToArray();
        Assert.Superset(new HashSet<string> { "Build", "Test", "Package", "Demo" }, ValidValues("Task").ToHashSet());
        Assert.Equal(new[] { "Debug", "Release" }, ValidValues("Configuration"));
    }
}
