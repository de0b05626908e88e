namespace PgUsers;

/// <summary>A URL or engine setting that can't be used, naming the part that is wrong.</summary>
public sealed class DbConfigurationException : ArgumentException
{
    internal DbConfigurationException(string message, string? part = null) : base(message, part)
    {
    }
}
