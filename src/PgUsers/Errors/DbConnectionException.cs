namespace PgUsers;

/// <summary>The server could not be reached or the connection broke (refused, timed out, terminated).</summary>
public sealed class DbConnectionException : Exception
{
    internal DbConnectionException(string message, Exception? inner) : base(message, inner)
    {
    }
}
