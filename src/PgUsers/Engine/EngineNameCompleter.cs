using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PgUsers.Engine;

/// <summary>Tab completion of this session's engine names.</summary>
internal sealed class EngineNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern(Unquote(wordToComplete) + "*", WildcardOptions.IgnoreCase);
        return RunspaceState.Current.Engines
            .Where(e => pattern.IsMatch(e.Name))
            .Select(e => new CompletionResult(Quote(e.Name), e.Name, CompletionResultType.ParameterValue, e.ToString()));
    }

    internal static string Unquote(string word) => word.Trim('\'', '"');

    internal static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || "'\"`$;,(){}|&<>@#".Contains(c)) ? "'" + value.Replace("'", "''") + "'" : value;
}
