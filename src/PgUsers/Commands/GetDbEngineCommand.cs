using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Lists this session's engines, newest (the default) first.</summary>
[Cmdlet(VerbsCommon.Get, "DbEngine", DefaultParameterSetName = "Name")]
[OutputType(typeof(DbEngine))]
public sealed class GetDbEngineCommand : PgUsersCmdlet
{
    /// <summary>Engine names to match (wildcards).</summary>
    [Parameter(Position = 0, ParameterSetName = "Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EngineNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only the default engine.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Default")]
    public SwitchParameter Default { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var state = RunspaceState.Current;
        if (Default)
        {
            if (state.DefaultEngine is { } engine) WriteObject(engine);
            return;
        }
        var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        foreach (var engine in state.Engines.Reverse())
        {
            if (patterns is null || patterns.Any(p => p.IsMatch(engine.Name))) WriteObject(engine);
        }
        if (patterns is not null)
        {
            foreach (var name in Name!.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && !state.Engines.Any(e => e.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
            {
                WriteError(DbErrors.Record("PgUsers.EngineNotFound", ErrorCategory.ObjectNotFound, $"No engine named '{UrlSecrets.Mask(name)}' in this session.", UrlSecrets.Mask(name)));
            }
        }
    }
}
