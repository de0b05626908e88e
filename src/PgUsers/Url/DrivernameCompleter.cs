using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PgUsers.Url;

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
