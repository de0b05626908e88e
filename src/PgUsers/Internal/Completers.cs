using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PgUsers.Internal;

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

/// <summary>Tab completion of the PostgreSQL drivernames SQLAlchemy knows (any postgresql+name is accepted).</summary>
internal sealed class DrivernameCompleter : IArgumentCompleter
{
    private static readonly string[] s_known =
    {
        "postgresql", "postgresql+psycopg2", "postgresql+psycopg", "postgresql+asyncpg", "postgresql+pg8000", "postgresql+psycopg2cffi",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = EngineNameCompleter.Unquote(wordToComplete);
        return s_known
            .Where(d => d.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(d => new CompletionResult(d, d, CompletionResultType.ParameterValue, d));
    }
}
