using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// libpq's checks of the server's certificate for sslmode=verify-ca and verify-full, done here rather than by
/// Npgsql: Npgsql's failures all say "The remote certificate was rejected by the provided
/// RemoteCertificateValidationCallback", while these say which check failed and what to set.
/// Npgsql is told sslmode=require (encrypt, trust anything) and this callback does the verifying, as libpq
/// would: sslrootcert is a file of CA certificates or "system" (the system's trusted CAs, verify-full only);
/// unset, it is ~/.postgresql/root.crt, which must then exist (Npgsql would fall back to the system's CAs).
/// The file is read at each new connection, as libpq does, so a replaced CA needs no new engine.
/// </summary>
internal sealed class TlsCheck
{
    private const string SystemRoots = "system";
    private readonly bool _verifyFull;
    private readonly string? _rootCertificate;

    private TlsCheck(bool verifyFull, string? rootCertificate)
    {
        _verifyFull = verifyFull;
        _rootCertificate = rootCertificate;
    }

    private string Mode => _verifyFull ? "verify-full" : "verify-ca";

    /// <summary>
    /// Takes the verifying over from Npgsql when the settings ask for it: leaves the builder at sslmode=require
    /// with no root certificate, and returns the check to <see cref="Attach"/>; null when nothing is to be verified.
    /// </summary>
    public static TlsCheck? Take(NpgsqlConnectionStringBuilder builder)
    {
        if (builder.RootCertificate == SystemRoots)
        {
            // libpq: sslrootcert=system makes verify-full the default and refuses weaker modes (a system CA signs certificates for anyone's names).
            if (builder.SslMode == SslMode.Prefer) builder.SslMode = SslMode.VerifyFull;
            if (builder.SslMode != SslMode.VerifyFull)
            {
                throw new DbConfigurationException(
                    $"sslrootcert=system needs sslmode=verify-full (it is {ModeName(builder.SslMode)}): with the system's CAs only the host name tells a server from any other.", "Query");
            }
        }
        if (builder.SslMode is not (SslMode.VerifyCA or SslMode.VerifyFull)) return null;
        var check = new TlsCheck(builder.SslMode == SslMode.VerifyFull, builder.RootCertificate);
        builder.SslMode = SslMode.Require;
        builder.RootCertificate = null;
        return check;
    }

    /// <summary>Makes every connection of the data source verify the server's certificate here.</summary>
    public void Attach(NpgsqlDataSourceBuilder builder) => builder.UseSslClientAuthenticationOptionsCallback(options =>
    {
        string host = options.TargetHost ?? "";
        options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Verify(host, certificate, chain, errors);
    });

    /// <summary>The check's failure inside what Npgsql threw (it wraps it once, or in an AggregateException for several hosts), or null.</summary>
    public static DbTlsException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DbTlsException tls) return tls;
            if (e is AggregateException all) return all.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null);
        }
        return null;
    }

    /// <summary>True, or throws <see cref="DbTlsException"/> naming the failed check: libpq's order, the CA first, then the name.</summary>
    private bool Verify(string host, X509Certificate? certificate, X509Chain? handshakeChain, SslPolicyErrors errors)
    {
        if (certificate is null) throw Failure(host, "CertificateAuthority", "the server sent no certificate. Check ssl_cert_file on the server, or set sslmode=require to encrypt without verifying.");
        var server = certificate as X509Certificate2;
        using var owned = server is null ? new X509Certificate2(certificate) : null;
        server ??= owned!;
        if (_rootCertificate == SystemRoots)
        {
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                throw ChainFailure(host, server, handshakeChain?.ChainStatus ?? [], "any of the system's trusted CAs (sslrootcert=system)");
            }
        }
        else
        {
            CheckChain(host, server, handshakeChain);
        }
        if (_verifyFull && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            throw Failure(host, "HostName",
                $"the certificate is for {Names(server)} but the URL's host is '{host}'. Use a name the certificate carries as the URL's host, or sslmode=verify-ca to check the CA only.");
        }
        return true;
    }

    /// <summary>The server's certificate must chain to a CA of the root certificate file, and only to those.</summary>
    private void CheckChain(string host, X509Certificate2 server, X509Chain? handshakeChain)
    {
        var roots = Roots(host, out string file);
        using var chain = new X509Chain();
        try
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            // The intermediates the server sent with its certificate.
            if (handshakeChain is not null) chain.ChainPolicy.ExtraStore.AddRange(handshakeChain.ChainPolicy.ExtraStore);
            // libpq checks revocation only against an sslcrl file, which Npgsql does not take.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (!chain.Build(server)) throw ChainFailure(host, server, chain.ChainStatus, "the CA in " + file);
        }
        finally
        {
            foreach (var root in roots) root.Dispose();
        }
    }

    /// <summary>The CA certificates to trust: sslrootcert's file, else libpq's default file.</summary>
    private X509Certificate2Collection Roots(string host, out string file)
    {
        if (_rootCertificate is null)
        {
            file = DefaultRootFile();
            if (!File.Exists(file))
            {
                throw Failure(host, "NoRootCertificate",
                    $"no root certificate to check the server's certificate against: no sslrootcert is set "
                    + $"and the default file {file} does not exist. Set sslrootcert=<file> to the certificate of the CA that signed the server's, "
                    + $"put that certificate in {file}, use sslrootcert=system{(_verifyFull ? "" : " with sslmode=verify-full")} to trust the system's CAs, "
                    + "or set sslmode=require to encrypt without verifying.");
            }
        }
        else
        {
            file = Path.GetFullPath(_rootCertificate);
            if (!File.Exists(file))
            {
                throw Failure(host, "RootCertificateFile",
                    $"sslrootcert={_rootCertificate} names no file{(file == _rootCertificate ? "" : $" ({file} does not exist)")}, so there is no CA to check the server's certificate against. "
                    + "Set sslrootcert to the file of the CA certificate that signed the server's, or sslmode=require to encrypt without verifying.");
            }
        }
        var roots = new X509Certificate2Collection();
        string? why = null;
        try
        {
            roots.ImportFromPemFile(file);
            // Not PEM: DER or PKCS#12, as Npgsql reads too.
            if (roots.Count == 0) roots.Import(file);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            why = e.Message.TrimEnd('.');
        }
        if (roots.Count == 0)
        {
            throw Failure(host, "RootCertificateFile",
                $"the root certificate file {file} holds no certificate that can be read ({why ?? "it has none"}). "
                + "Set sslrootcert to the CA certificate (PEM or DER) that signed the server's, or sslmode=require to encrypt without verifying.");
        }
        return roots;
    }

    /// <summary>libpq's ~/.postgresql/root.crt (%APPDATA%\postgresql\root.crt on Windows).</summary>
    private static string DefaultRootFile()
    {
        string home = OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
            : Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, OperatingSystem.IsWindows() ? "postgresql" : ".postgresql", "root.crt");
    }

    /// <summary>What is wrong with the chain: a certificate out of its dates, a CA that is not the trusted one, or else what the chain says.</summary>
    private DbTlsException ChainFailure(string host, X509Certificate2 server, X509ChainStatus[] statuses, string trusted)
    {
        var flags = statuses.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if (server.NotAfter < DateTime.Now || server.NotBefore > DateTime.Now)
        {
            return Failure(host, "Chain",
                $"the server's certificate ({server.Subject}) is valid from {Stamp(server.NotBefore)} to {Stamp(server.NotAfter)}, not now. "
                + "Renew it on the server, or set sslmode=require to encrypt without verifying.");
        }
        if ((flags & (X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)) != 0)
        {
            return Failure(host, "CertificateAuthority",
                $"the server's certificate ({server.Subject}, issued by {server.Issuer}) is not signed by {trusted}. "
                + "Set sslrootcert to the file of the CA that signed it, or sslmode=require to encrypt without verifying.");
        }
        string reasons = string.Join("; ", statuses.Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct());
        return Failure(host, "Chain",
            $"the server's certificate ({server.Subject}, issued by {server.Issuer}) does not check out against {trusted}: {reasons}. "
            + "Fix the certificates on the server, or set sslmode=require to encrypt without verifying.");
    }

    /// <summary>The names a certificate is for: its DNS and IP subject alternative names, else its common name.</summary>
    private static string Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames());
            names.AddRange(extension.EnumerateIPAddresses().Select(a => a.ToString()));
        }
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } common) names.Add(common);
        return names.Count == 0 ? "no name" : string.Join(", ", names.Select(n => "'" + n + "'"));
    }

    private static string Stamp(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string ModeName(SslMode mode) => mode switch
    {
        SslMode.VerifyCA => "verify-ca",
        SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };

    private DbTlsException Failure(string host, string check, string what) =>
        new($"TLS verification of the server at {host} failed (sslmode={Mode}): {what}", host, check);
}
