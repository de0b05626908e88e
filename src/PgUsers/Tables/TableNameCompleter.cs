using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PgUsers.Tables;

/// <summary>Tab completion of table names from the default engine's catalog (in -Schema when given, else the search_path).</summary>
internal sealed class TableNameCompleter : IArgumentCompleter
{
    private const string Names = """
        SELECT c.relname::text, n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND starts_with(lower(c.relname), lower(@prefix))
          AND CASE WHEN @schema::text IS NULL THEN n.nspname = ANY (current_schemas(false)) ELSE n.nspname = @schema END
        ORDER BY 1 LIMIT 100
        """;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var engine = (fakeBoundParameters["Engine"] is DbEngine given ? given : null) ?? RunspaceState.Current.DefaultEngine;
        if (engine is null || engine.IsDisposed) return Array.Empty<CompletionResult>();
        var results = new List<CompletionResult>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var link = engine.Acquire(timeout.Token, TargetSession.Default);
            var parameters = new KeyValuePair<string, object?>[]
            {
                new("prefix", EngineNameCompleter.Unquote(wordToComplete)),
                new("schema", fakeBoundParameters["Schema"]?.ToString()),
            };
            using var reader = link.ExecuteReader(new DbStatement(Names, parameters), timeout.Token);
            while (reader.Read())
            {
                var values = reader.GetValues();
                string name = (string)values[0]!;
                results.Add(new CompletionResult(EngineNameCompleter.Quote(name), name, CompletionResultType.ParameterValue, $"{values[1]}.{name}"));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Completion never fails the prompt: no server, no names.
        }
        return results;
    }
}
