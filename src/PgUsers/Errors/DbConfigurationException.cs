namespace PgUsers;

/// <summary>A URL or engine setting that can't be used, naming the part that is wrong.</summary>
public sealed class DbConfigurationException : ArgumentException
{
    private readonly string _message;

    internal DbConfigurationException(string message, string? part = null) : base(message, part)
    {
        _message = message;
    }

    /// <summary>The message alone: ArgumentException would add "(Parameter 'part')", which names our part, not the cmdlet's parameter.</summary>
    public override string Message => _message;
}
