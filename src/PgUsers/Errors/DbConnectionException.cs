namespace PgUsers;

/// <summary>The server could not be reached or the connection broke (refused, timed out, terminated).</summary>
public sealed class DbConnectionException : Exception
{
    internal DbConnectionException(string message, Exception? inner, bool timedOut = false) : base(message, inner)
    {
        TimedOut = timedOut;
    }

    /// <summary>True when connecting took longer than connect_timeout (or the engine's PoolTimeout): the server never answered.</summary>
    public bool TimedOut { get; }
}
