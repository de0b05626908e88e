namespace PgUsers;

/// <summary>No server of the kind a call asked for (-TargetSessionAttrs, target_session_attrs) is among the engine's hosts.</summary>
public sealed class DbServerKindException : Exception
{
    internal DbServerKindException(string message, string target) : base(message)
    {
        Target = target;
    }

    /// <summary>The kind asked for, in libpq's words (standby, read-write, ...).</summary>
    public string Target { get; }
}
