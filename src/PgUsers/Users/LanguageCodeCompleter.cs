using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PgUsers.Users;

/// <summary>Tab completion of the language codes present in the users table (via the session's default engine).</summary>
internal sealed class LanguageCodeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var engine = (fakeBoundParameters["Engine"] is PSObject { BaseObject: DbEngine bound } ? bound : fakeBoundParameters["Engine"] as DbEngine)
            ?? RunspaceState.Current.DefaultEngine;
        if (engine is null || engine.IsDisposed) return Array.Empty<CompletionResult>();
        var codes = new List<string>();
        try
        {
            // Completion must never hang the prompt: a short timeout, and any failure means no suggestions.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var link = engine.Acquire(timeout.Token);
            using var reader = link.ExecuteReader(new DbStatement(
                $"SELECT DISTINCT {UserTable.LanguageCode} FROM {UserTable.Name} WHERE {UserTable.LanguageCode} ILIKE @prefix ORDER BY 1 LIMIT 50",
                new[] { new KeyValuePair<string, object?>("prefix", EscapeLike(EngineNameCompleter.Unquote(wordToComplete)) + "%") }, 2), timeout.Token);
            while (reader.Read()) codes.Add((string)reader.GetValues()[0]!);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Array.Empty<CompletionResult>();
        }
        return codes.Select(c => new CompletionResult(EngineNameCompleter.Quote(c), c, CompletionResultType.ParameterValue, c));
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
