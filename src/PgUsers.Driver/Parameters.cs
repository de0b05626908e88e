using Npgsql;
using NpgsqlTypes;

namespace PgUsers.Driver;

/// <summary>Values as Npgsql parameters; which were sent untyped, for the error that says how to cast them.</summary>
internal static class Parameters
{
    /// <summary>One value as a parameter; JSON text and an empty or all-null array go untyped.</summary>
    public static NpgsqlParameter Of(string name, object? value) => value switch
    {
        // Untyped, so the server reads it as whichever of json and jsonb the statement wants.
        JsonText json => new(name, NpgsqlDbType.Unknown) { Value = json.Text },
        // Untyped, so the statement's cast or column types it, as it would a literal '{}'.
        NullArray array => new(name, NpgsqlDbType.Unknown) { Value = array.Text },
        _ => new(name, value ?? DBNull.Value),
    };

    /// <summary>
    /// Pipeline input is mostly CSV text: send strings as untyped literals so the server reads
    /// '42' into a bigint column as it would a quoted literal, instead of refusing text for bigint.
    /// </summary>
    public static NpgsqlParameter UntypedText(NpgsqlParameter parameter)
    {
        if (parameter.Value is string) parameter.NpgsqlDbType = NpgsqlDbType.Unknown;
        return parameter;
    }

    /// <summary>The names given, and those sent untyped (the server types them from the SQL).</summary>
    public static (string[], string[]) Names(IReadOnlyList<KeyValuePair<string, object?>> parameters) =>
        (parameters.Select(p => p.Key).ToArray(), parameters.Where(p => p.Value is JsonText or NullArray).Select(p => p.Key).ToArray());

    public static (string[], string[]) Names(NpgsqlBatch batch) => batch.BatchCommands.Count == 0
        ? (Array.Empty<string>(), Array.Empty<string>())
        : (batch.BatchCommands[0].Parameters.Select(p => p.ParameterName).ToArray(),
            batch.BatchCommands[0].Parameters.Where(p => p.NpgsqlDbType == NpgsqlDbType.Unknown).Select(p => p.ParameterName).ToArray());
}
