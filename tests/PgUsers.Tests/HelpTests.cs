using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Get-Help as a user reads it: every exported cmdlet has a synopsis, a description, words for
/// each parameter, and examples; and what the help says of a parameter is what the cmdlet does.
/// A failure names every offender at once. To fix one, edit docs/en-US/&lt;Cmdlet&gt;.psd1 and run
/// tools/New-PgUsersHelp.ps1.
/// </summary>
public sealed class HelpTests : IDisposable
{
    // Flattens Get-Help's objects into plain records, so the checks below stay in C#.
    private const string Extract = """
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        foreach ($command in Get-Command -Module PgUsers) {
            $help = Get-Help $command.Name -Full
            $documented = @{}
            foreach ($p in @($help.parameters.parameter)) { if ($p) { $documented[$p.name] = $p } }
            [pscustomobject]@{
                Name        = $command.Name
                Command     = $command
                Synopsis    = [string]$help.Synopsis
                Description = (@($help.description) | ForEach-Object Text) -join "`n"
                Examples    = @(@($help.examples.example) | Where-Object { $_ } | ForEach-Object {
                    [pscustomobject]@{ Code = [string]$_.code; Remarks = (@($_.remarks) | ForEach-Object Text) -join "`n" } })
                Parameters  = @(foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
                    $doc = $documented[$name]
                    [pscustomobject]@{
                        Name     = $name
                        Text     = if ($doc) { (@($doc.description) | ForEach-Object Text) -join "`n" } else { '' }
                        Required = if ($doc) { [string]$doc.required } else { '' }
                        Position = if ($doc) { [string]$doc.position } else { '' }
                        Pipeline = if ($doc) { [string]$doc.pipelineInput } else { '' }
                    } })
            }
        }
        """;

    private readonly Pwsh _shell = new();
    private readonly List<PSObject> _help;

    public HelpTests()
    {
        _help = _shell.Run(Extract).ToList();
    }

    private static IEnumerable<PSObject> Items(PSObject record, string name) =>
        ((IEnumerable<object>)Pwsh.Unwrap(record.Properties[name].Value)!).Cast<PSObject>();

    private static string Text(PSObject record, string name) => (string?)record.Prop(name) ?? "";

    private IEnumerable<string> Offenders(Func<PSObject, IEnumerable<string>> check) => _help.SelectMany(check);

    private static void AssertNone(IEnumerable<string> offenders, string what)
    {
        var list = offenders.ToList();
        Assert.True(list.Count == 0, $"{what}:\n  " + string.Join("\n  ", list));
    }

    [Fact]
    public void Every_exported_cmdlet_is_checked()
    {
        var names = _help.Select(h => Text(h, "Name")).ToHashSet();
        Assert.Superset(new HashSet<string> { "New-DbUrl", "New-DbEngine", "Invoke-DbQuery", "Get-DbUser" }, names);
        var manifest = _shell.Values($"(Import-PowerShellDataFile '{Paths.Manifest}').CmdletsToExport").Cast<string>();
        Assert.Equal(manifest.OrderBy(n => n), names.OrderBy(n => n));
    }

    [Fact]
    public void Every_cmdlet_has_a_written_synopsis_and_description()
    {
        AssertNone(Offenders(h =>
        {
            string name = Text(h, "Name"), synopsis = Text(h, "Synopsis").Trim();
            var problems = new List<string>();
            // Without a help file Get-Help makes the synopsis from the syntax: "Name [-Param] <Type> ...".
            if (synopsis.Length < 20 || synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase) || synopsis.Contains("[-"))
            {
                problems.Add($"{name}: synopsis missing or auto-generated: '{synopsis}'");
            }
            if (Text(h, "Description").Trim().Length < 80) problems.Add($"{name}: description missing or too short");
            return problems;
        }), "Cmdlets without a written synopsis or description");
    }

    [Fact]
    public void Every_parameter_is_described()
    {
        AssertNone(Offenders(h => Items(h, "Parameters")
            .Where(p => Text(p, "Text").Trim().Length < 10)
            .Select(p => $"{Text(h, "Name")} -{Text(p, "Name")}")), "Parameters without a description");
    }

    [Fact]
    public void Every_cmdlet_has_at_least_two_examples_with_code_and_remarks()
    {
        AssertNone(Offenders(h =>
        {
            var examples = Items(h, "Examples").ToList();
            var problems = new List<string>();
            if (examples.Count < 2) problems.Add($"{Text(h, "Name")}: {examples.Count} example(s)");
            problems.AddRange(examples.Select((e, i) => (e, i))
                .Where(x => Text(x.e, "Code").Trim().Length == 0 || Text(x.e, "Remarks").Trim().Length == 0)
                .Select(x => $"{Text(h, "Name")}: example {x.i + 1} lacks code or remarks"));
            return problems;
        }), "Cmdlets without two complete examples");
    }

    [Fact]
    public void What_the_help_says_of_each_parameter_is_what_the_cmdlet_does()
    {
        AssertNone(Offenders(h =>
        {
            var command = (CommandInfo)Pwsh.Unwrap(h.Properties["Command"].Value)!;
            return Items(h, "Parameters").Where(p => Text(p, "Text").Length > 0).SelectMany(p =>
            {
                var sets = command.Parameters[Text(p, "Name")].ParameterSets.Values.ToList();
                string where = $"{command.Name} -{Text(p, "Name")}";
                var problems = new List<string>();
                // The help's rule: required when mandatory in every set; the position it has in a set; pipeline input from any set.
                string required = sets.All(s => s.IsMandatory) ? "true" : "false";
                var positions = sets.Where(s => s.Position >= 0).Select(s => s.Position.ToString()).ToList();
                string position = positions.Count > 0 ? positions[0] : "named";
                var kinds = new List<string>();
                if (sets.Any(s => s.ValueFromPipelineByPropertyName)) kinds.Add("ByPropertyName");
                if (sets.Any(s => s.ValueFromPipeline)) kinds.Add("ByValue");
                string pipeline = kinds.Count > 0 ? $"True ({string.Join(", ", kinds)})" : "False";
                if (!string.Equals(Text(p, "Required"), required, StringComparison.OrdinalIgnoreCase)) problems.Add($"{where}: help says required {Text(p, "Required")}, code says {required}");
                if (Text(p, "Position") != position) problems.Add($"{where}: help says position {Text(p, "Position")}, code says {position}");
                if (Text(p, "Pipeline") != pipeline) problems.Add($"{where}: help says pipeline input {Text(p, "Pipeline")}, code says {pipeline}");
                return problems;
            });
        }), "Help that disagrees with the code (run tools/New-PgUsersHelp.ps1)");
    }

    [Fact]
    public void Every_example_in_the_help_sources_is_valid_PowerShell()
    {
        string docs = Path.Combine(Paths.Repo, "docs", "en-US");
        var examples = _shell.Run($$"""
            Get-ChildItem '{{docs}}' -Filter '*-*.psd1' | ForEach-Object {
                $doc = Import-PowerShellDataFile $_.FullName
                foreach ($example in $doc.Examples) { [pscustomobject]@{ Name = $doc.Name; Title = $example.Title; Code = $example.Code } }
            }
            """);
        Assert.NotEmpty(examples);
        AssertNone(examples.SelectMany(e =>
        {
            System.Management.Automation.Language.Parser.ParseInput(Text(e, "Code"), out _, out var errors);
            return errors.Take(1).Select(error => $"{Text(e, "Name")} '{Text(e, "Title")}': {error.Message} ({error.Extent.Text})");
        }), "Examples whose code does not parse (sample output goes under Output, not Code)");
    }

    [Fact]
    public void The_about_topic_is_found_and_names_the_cmdlets()
    {
        var text = string.Join("\n", _shell.Values("Get-Help about_PgUsers"));
        Assert.Contains("SHORT DESCRIPTION", text);
        Assert.All(new[] { "New-DbUrl", "New-DbEngine", "Invoke-DbQuery", "Get-DbUser", "Use-DbSession" }, name => Assert.Contains(name, text));
    }

    public void Dispose() => _shell.Dispose();
}
