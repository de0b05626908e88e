namespace PgUsers;

/// <summary>
/// The server's TLS certificate failed a check that sslmode=verify-ca or verify-full asks for. Not
/// worth retrying: the message says which check failed and what to set.
/// </summary>
public sealed class DbTlsException : Exception
{
    internal DbTlsException(string message, string host, string check) : base(message)
    {
        Host = host;
        Check = check;
    }

    /// <summary>The host whose certificate was checked, as the URL names it.</summary>
    public string Host { get; }

    /// <summary>
    /// Which check failed: NoRootCertificate (none given and no ~/.postgresql/root.crt), RootCertificateFile
    /// (sslrootcert names no readable certificate), CertificateAuthority (not signed by a trusted CA),
    /// Chain (signed by one, but not valid: expired, not yet valid, ...), HostName (verify-full: the
    /// certificate is for another name).
    /// </summary>
    public string Check { get; }
}
