using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Services of pg_service.conf through the cmdlets. How libpq reads the file and where its settings rank (URL
/// fields, then the service, then the environment) is tested once, in tests/PgUsers.UnitTests.
/// </summary>
public sealed class ServiceFileTests : IClassFixture<ShellFixture>, IDisposable
{
    private readonly Pwsh _shell;
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-service-").FullName;

    public ServiceFileTests(ShellFixture fixture) => _shell = fixture.Shell;

    private string WriteFile(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void New_DbUrl_Service_is_service_in_the_query_and_null_removes_it()
    {
        Assert.Equal("postgresql://?service=svc", _shell.Values("(New-DbUrl -Service svc).RenderAsString()").Single());
        Assert.Equal("postgresql://h?sslmode=disable", _shell.Values("(New-DbUrl 'postgresql://h/?service=svc&sslmode=disable' -Service $null).RenderAsString()").Single());
    }

    [Fact]
    public void An_unknown_service_or_an_option_Npgsql_lacks_is_a_clear_error_at_New_DbEngine()
    {
        string file = WriteFile("bad.conf", "[crl]\nsslcrl=/etc/crl.pem\npassword=do-not-show\n");
        using var env = new EnvironmentScope(("PGSERVICEFILE", file), ("PGSERVICE", null));
        var missing = _shell.Invoke("New-DbEngine 'postgresql:///?service=nowhere'");
        Assert.Equal("PgUsers.InvalidUrlOption,PgUsers.Commands.NewDbEngineCommand", missing.Error?.FullyQualifiedErrorId);
        Assert.Contains("The service 'nowhere' is not defined in any service file (searched " + file, missing.Error!.Exception.Message);
        var lacking = _shell.Invoke("New-DbEngine 'postgresql:///?service=crl'");
        Assert.Equal("PgUsers.InvalidUrlOption,PgUsers.Commands.NewDbEngineCommand", lacking.Error?.FullyQualifiedErrorId);
        Assert.Contains("sets 'sslcrl', which has no Npgsql equivalent", lacking.Error!.Exception.Message);
        Assert.DoesNotContain("do-not-show", lacking.AllText());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>A service file naming the test server: the engine connects through it alone.</summary>
public sealed class ServiceServerTests : DbTest
{
    public ServiceServerTests(ServerFixture server) : base(server)
    {
    }

    [Fact]
    public void An_engine_connects_through_a_service_named_in_the_URL_by_New_DbUrl_or_by_PGSERVICE()
    {
        var uri = UrlParts;
        var userInfo = uri.UserInfo.Split(':', 2);
        string file = Path.Combine(Path.GetTempPath(), "pgusers-" + Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllText(file, $"""
            [pgusers_test]
            host={uri.Host}
            port={uri.Port}
            dbname={Database}
            user={Uri.UnescapeDataString(userInfo[0])}
            {(userInfo.Length > 1 ? "password=" + Uri.UnescapeDataString(userInfo[1]) : "")}
            application_name=via_service
            """);
        try
        {
            using var env = new EnvironmentScope(("PGSERVICEFILE", file), ("PGSERVICE", null));
            Assert.Equal(Database, Shell.Values("Invoke-DbQuery 'SELECT current_database()' -Scalar -Engine (New-DbEngine 'postgresql:///?service=pgusers_test')").Single());
            Assert.Equal("via_service", Shell.Values("Invoke-DbQuery 'SELECT current_setting(''application_name'')' -Scalar -Engine (New-DbEngine (New-DbUrl -Service pgusers_test))").Single());
            using (new EnvironmentScope(("PGSERVICE", "pgusers_test")))
            {
                Assert.Equal(Database, Shell.Values("Invoke-DbQuery 'SELECT current_database()' -Scalar -Engine (New-DbEngine 'postgresql://')").Single());
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
