using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>
/// sslmode=verify-ca and verify-full against a server whose certificate is for 'localhost': each failed check
/// is PgUsers.TlsVerificationFailed (SecurityError, the host as target) saying which check failed and what to
/// set; sslrootcert follows libpq (the default ~/.postgresql/root.crt, "system").
/// </summary>
public sealed class TlsTests : IClassFixture<TlsServerFixture>, IDisposable
{
    private const string Ssl = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    private readonly TlsServerFixture _server;
    private readonly Pwsh _shell = new();
    // No test may find a root certificate in the real HOME, nor take PGSSLROOTCERT or PGSSLMODE from the machine.
    private readonly EnvironmentScope _environment;

    public TlsTests(TlsServerFixture server)
    {
        _server = server;
        _environment = new EnvironmentScope(("HOME", server.NewFolder("home-" + Guid.NewGuid().ToString("N"))), ("PGSSLROOTCERT", null), ("PGSSLMODE", null));
    }

    private PwshResult Query(string host, string query) =>
        _shell.Set("url", _server.Url(host, query)).Invoke($"Invoke-DbQuery '{Ssl}' -Scalar -Engine (New-DbEngine $url)");

    private void AssertConnectsOverTls(string host, string query)
    {
        var result = Query(host, query);
        Assert.True(result.Error is null, result.Error?.FullyQualifiedErrorId + ": " + result.Error?.Exception.Message);
        Assert.Equal(true, Pwsh.Unwrap(Assert.Single(result.Output)));
    }

    /// <summary>The failure the user sees: its id, category, target, which check, and the message; never the password.</summary>
    private string AssertRefused(PwshResult result, string host, string check)
    {
        var error = result.Error;
        Assert.NotNull(error);
        Assert.Equal("PgUsers.TlsVerificationFailed,PgUsers.Commands.InvokeDbQueryCommand", error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Equal(host, error.TargetObject);
        Assert.Equal(check, error.Exception.GetType().GetProperty("Check")!.GetValue(error.Exception));
        string message = error.Exception.Message;
        Assert.StartsWith($"TLS verification of the server at {host} failed (sslmode=", message);
        Assert.DoesNotContain("RemoteCertificateValidationCallback", message);
        Assert.DoesNotContain(_server.Password, result.AllText());
        return message;
    }

    [Fact]
    public void Verify_full_with_the_right_CA_and_the_certificate_s_host_name_connects_over_TLS() =>
        AssertConnectsOverTls("localhost", $"sslmode=verify-full&sslrootcert={_server.Ca}");

    [Fact]
    public void Verify_ca_checks_the_CA_only_so_an_address_the_certificate_does_not_name_connects() =>
        AssertConnectsOverTls("127.0.0.1", $"sslmode=verify-ca&sslrootcert={_server.Ca}");

    [Fact]
    public void Sslmode_require_encrypts_without_verifying() =>
        AssertConnectsOverTls("127.0.0.1", $"sslmode=require&sslrootcert={_server.OtherCa}");

    [Fact]
    public void Without_sslrootcert_the_CA_is_read_from_home_postgresql_root_crt_as_libpq_does()
    {
        string folder = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".postgresql")).FullName;
        File.Copy(_server.Ca, Path.Combine(folder, "root.crt"));
        AssertConnectsOverTls("localhost", "sslmode=verify-full");
    }

    [Fact]
    public void No_root_certificate_says_so_and_names_the_ways_to_give_one()
    {
        string home = Environment.GetEnvironmentVariable("HOME")!;
        string message = AssertRefused(Query("localhost", "sslmode=verify-full"), "localhost", "NoRootCertificate");
        Assert.Contains("no root certificate", message);
        Assert.Contains($"no sslrootcert is set and the default file {home}/.postgresql/root.crt does not exist", message);
        Assert.Contains("Set sslrootcert=<file>", message);
        Assert.Contains("use sslrootcert=system to trust the system's CAs", message);
        Assert.Contains("or set sslmode=require to encrypt without verifying", message);
    }

    [Fact]
    public void An_sslrootcert_that_names_no_file_says_so()
    {
        string missing = Path.Combine(_server.NewFolder("nothing-here"), "root.crt");
        string message = AssertRefused(Query("localhost", $"sslmode=verify-ca&sslrootcert={missing}"), "localhost", "RootCertificateFile");
        Assert.Contains($"(sslmode=verify-ca): sslrootcert={missing} names no file", message);
        Assert.Contains("Set sslrootcert to the file of the CA certificate that signed the server's, or sslmode=require", message);
    }

    [Theory]
    [InlineData("verify-ca")]
    [InlineData("verify-full")]
    public void The_wrong_CA_says_the_certificate_is_not_signed_by_it(string mode)
    {
        string message = AssertRefused(Query("localhost", $"sslmode={mode}&sslrootcert={_server.OtherCa}"), "localhost", "CertificateAuthority");
        Assert.Contains($"the server's certificate (CN=localhost, issued by CN=PgUsers Test CA) is not signed by the CA in {_server.OtherCa}", message);
        Assert.Contains("Set sslrootcert to the file of the CA that signed it, or sslmode=require to encrypt without verifying", message);
    }

    [Fact]
    public void A_host_name_the_certificate_does_not_carry_fails_verify_full_naming_both()
    {
        string message = AssertRefused(Query("127.0.0.1", $"sslmode=verify-full&sslrootcert={_server.Ca}"), "127.0.0.1", "HostName");
        Assert.Contains("the certificate is for 'localhost' but the URL's host is '127.0.0.1'", message);
        Assert.Contains("Use a name the certificate carries as the URL's host, or sslmode=verify-ca to check the CA only", message);
    }

    [Fact]
    public void Sslrootcert_system_trusts_the_system_s_CAs_and_means_verify_full()
    {
        // No system CA signed the test CA's certificate; libpq makes verify-full the default with sslrootcert=system.
        string message = AssertRefused(Query("localhost", "sslrootcert=system"), "localhost", "CertificateAuthority");
        Assert.Contains("(sslmode=verify-full): the server's certificate (CN=localhost, issued by CN=PgUsers Test CA) is not signed by any of the system's trusted CAs", message);
        var weaker = _shell.Set("url", _server.Url("localhost", "sslmode=require&sslrootcert=system")).Invoke("New-DbEngine $url");
        Assert.Equal("PgUsers.InvalidUrlOption,PgUsers.Commands.NewDbEngineCommand", weaker.Error?.FullyQualifiedErrorId);
        Assert.Contains("sslrootcert=system needs sslmode=verify-full (it is require)", weaker.Error!.Exception.Message);
    }

    public void Dispose()
    {
        _shell.Run("Get-DbEngine | Remove-DbEngine");
        _shell.Dispose();
        _environment.Dispose();
    }
}
