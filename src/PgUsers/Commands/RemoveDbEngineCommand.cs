using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Disposes an engine: its pooled connections close; the next newest becomes the default.</summary>
[Cmdlet(VerbsCommon.Remove, "DbEngine", SupportsShouldProcess = true, DefaultParameterSetName = "Engine")]
[OutputType(typeof(void))]
public sealed class RemoveDbEngineCommand : PgUsersCmdlet
{
    /// <summary>The engines to dispose.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Engine")]
    [NoUrlEcho]
    [ValidateNotNull]
    public DbEngine[] Engine { get; set; } = Array.Empty<DbEngine>();

    /// <summary>Names of this session's engines to dispose (wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EngineNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Dispose every engine this session made.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "All")]
    public SwitchParameter All { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IEnumerable<DbEngine> targets = ParameterSetName switch
        {
            "All" => RunspaceState.Current.Engines,
            "Name" => RunspaceState.Current.Engines.Where(e => Name.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(e.Name))),
            _ => Engine,
        };
        if (ParameterSetName == "Name")
        {
            var live = RunspaceState.Current.Engines;
            foreach (var name in Name.Where(n => !live.Any(e => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(e.Name))))
            {
                // A typo must not pass for success; a pattern that matches nothing is not an error (as Remove-Item).
                if (!WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(DbErrors.Record("PgUsers.EngineNotFound", ErrorCategory.ObjectNotFound, $"No engine named '{UrlSecrets.Mask(name)}' in this session.", UrlSecrets.Mask(name)));
                }
            }
        }
        foreach (var engine in targets)
        {
            if (ShouldProcess(engine.ToString(), "Dispose engine and close its connections"))
            {
                engine.Dispose();
                WriteVerbose($"Engine '{engine.Name}' disposed.");
            }
        }
    }
}
