namespace PgUsers;

/// <summary>
/// A value that cannot be sent or read as it is: a parameter that holds itself or nests too deep, an array whose
/// element type cannot be told, a JSON result nested too deep. <see cref="ErrorId"/> is stable.
/// </summary>
public sealed class DbValueException : ArgumentException
{
    internal DbValueException(string errorId, string message, string? parameter = null) : base(message)
    {
        ErrorId = errorId;
        Parameter = parameter;
    }

    /// <summary>
    /// The stable id a script can test: PgUsers.ParameterCycle, PgUsers.ParameterTooDeep, PgUsers.ParameterType
    /// (sending), PgUsers.JsonTooDeep (reading).
    /// </summary>
    public string ErrorId { get; }

    /// <summary>The parameter the value was given for (without @), or null for a value read.</summary>
    public string? Parameter { get; }

    /// <summary>This failure, now naming the parameter it was given for.</summary>
    internal DbValueException For(string parameter) => Parameter is not null ? this
        : new DbValueException(ErrorId, $"The parameter @{parameter}: {Message}", parameter);
}
