namespace PgUsers;

/// <summary>A session that cannot be used as asked (closed, from another runspace, rolled back); <see cref="ErrorId"/> is stable.</summary>
public sealed class DbSessionException : InvalidOperationException
{
    internal DbSessionException(string errorId, string message, Exception? inner = null) : base(message, inner)
    {
        ErrorId = errorId;
    }

    /// <summary>The stable id a script can test: PgUsers.SessionClosed, PgUsers.SessionWrongRunspace, PgUsers.SessionRolledBack, PgUsers.SessionNested, PgUsers.CommitOutcomeUnknown.</summary>
    public string ErrorId { get; }
}
