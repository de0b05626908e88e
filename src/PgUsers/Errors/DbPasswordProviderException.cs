namespace PgUsers;

/// <summary>New-DbEngine's -PasswordProvider gave no password: it threw, wrote an error, or returned nothing. No connection was attempted.</summary>
public sealed class DbPasswordProviderException : Exception
{
    internal DbPasswordProviderException(string message) : base(message)
    {
    }
}
