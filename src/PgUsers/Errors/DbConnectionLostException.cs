namespace PgUsers;

/// <summary>
/// An open connection was lost mid-use (server shut down or restarted, backend terminated, network
/// broken): the statement may not have run, and a retry of the whole unit of work is safe.
/// </summary>
public sealed class DbConnectionLostException : Exception
{
    internal DbConnectionLostException(string message, string? sqlState) : base(message)
    {
        SqlState = sqlState;
    }

    /// <summary>The server's SQLSTATE when it said why (57P01 admin shutdown, 57P02, 57P03, 08xxx), else null.</summary>
    public string? SqlState { get; }
}
