using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>pg_service.conf as libpq reads it, and where its settings rank: URL fields, then the service, then the environment.</summary>
public sealed class ServiceFileTests : IClassFixture<ShellFixture>, IDisposable
{
    private readonly Pwsh _shell;
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-service-").FullName;

    public ServiceFileTests(ShellFixture fixture)
    {
        _shell = fixture.Shell;
        _shell.Run(ConnectionOptionTests.ConnectionStringFunction);
        _shell.Run("""
            function Read-Service($text, $name) {
                $type = [PgUsers.DbUrl].Assembly.GetType('PgUsers.Url.ServiceFile')
                $found = $type.GetMethod('Parse').Invoke($null, [object[]]@([IO.StringReader]::new($text), 'test.conf', $name))
                if ($null -eq $found) { return 'none' }
                ($found | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ';'
            }
            function Get-ServiceFiles {
                $type = [PgUsers.DbUrl].Assembly.GetType('PgUsers.Url.ServiceFile')
                $type.GetMethod('Files').Invoke($null, [object[]]@([Func[string, string]] { param($n) [Environment]::GetEnvironmentVariable($n) }))
            }
            """);
    }

    private string Parse(string text, string service)
        => (string)_shell.Set("text", text).Set("name", service).Values("Read-Service $text $name").Single()!;

    private string ParseError(string text, string service)
    {
        var result = _shell.Set("text", text).Set("name", service).Invoke("Read-Service $text $name");
        return result.Error?.Exception.InnerException?.Message ?? "(no error)";
    }

    private string ConnectionString(string url) => (string)_shell.Set("u", url).Values("Get-ConnectionString $u").Single()!;

    private string WriteFile(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Sections_comments_blanks_and_repeats_read_as_libpq_reads_them()
    {
        const string Text = """
            # a comment
            [other]
            host=elsewhere

              [prod]   
            host=db.example.com
               port=6543
            #port=1
            dbname=app
            host=ignored-the-first-wins
            options=-c search_path=a,b
            [prod]
            user=second-section-ignored
            """;
        Assert.Equal("host=db.example.com;port=6543;dbname=app;options=-c search_path=a,b", Parse(Text, "prod"));
        Assert.Equal("host=elsewhere", Parse(Text, "other"));
        Assert.Equal("none", Parse(Text, "missing"));
        Assert.Equal("none", Parse(Text, "pro"));
        Assert.Equal("", Parse("[empty]\n", "empty"));
    }

    [Theory]
    [InlineData("[s]\nhost = h\n", "line 2: 'host ' is not a libpq keyword")]
    [InlineData("[s]\nhost=h\njust words\n", "line 3: expected keyword=value")]
    [InlineData("[s]\nservice=other\n", "line 2: a service cannot name another service")]
    [InlineData("[s]\nno_such_keyword=1\n", "line 2: 'no_such_keyword' is not a libpq keyword")]
    public void A_malformed_section_is_an_error_naming_the_file_and_line(string text, string expected)
    {
        string message = ParseError(text, "s");
        Assert.Contains("service file \"test.conf\", " + expected, message);
        // Malformed lines outside the service asked for are not its business (libpq skips them too).
        Assert.Equal("none", Parse(text, "unrelated"));
    }

    [Fact]
    public void The_user_file_is_searched_before_the_system_one()
    {
        using (new EnvironmentScope(("PGSERVICEFILE", "/x/my.conf"), ("PGSYSCONFDIR", "/etc/pgconf")))
        {
            Assert.Equal(new object?[] { "/x/my.conf", "/etc/pgconf/pg_service.conf" }, _shell.Values("Get-ServiceFiles"));
        }
        using (new EnvironmentScope(("PGSERVICEFILE", null), ("PGSYSCONFDIR", null), ("HOME", "/home/u")))
        {
            Assert.Equal(new object?[] { "/home/u/.pg_service.conf", "/etc/postgresql-common/pg_service.conf" }, _shell.Values("Get-ServiceFiles"));
        }
    }

    [Fact]
    public void A_service_fills_what_the_URL_leaves_out_and_beats_the_environment()
    {
        string file = WriteFile("user.conf", """
            [svc]
            host=svchost
            port=6543
            dbname=svcdb
            user=svcuser
            password=svcsecret
            sslmode=require
            application_name=svcapp
            """);
        using var env = new EnvironmentScope(("PGSERVICEFILE", file), ("PGSERVICE", null), ("PGHOST", "envhost"), ("PGDATABASE", "envdb"),
            ("PGSSLMODE", "disable"), ("PGUSER", "envuser"), ("PGPASSWORD", null));
        string fromService = ConnectionString("postgresql:///?service=svc");
        foreach (var part in new[] { "Host=svchost", "Port=6543", "Database=svcdb", "Username=svcuser", "Password=svcsecret", "SSL Mode=Require", "Application Name=svcapp" })
        {
            Assert.Contains(part, fromService);
        }
        // Explicit URL fields and options win; the service's port still fills the port the URL left out.
        string explicitUrl = ConnectionString("postgresql://urluser@urlhost/urldb?service=svc&application_name=urlapp");
        foreach (var part in new[] { "Host=urlhost", "Port=6543", "Database=urldb", "Username=urluser", "Application Name=urlapp", "SSL Mode=Require" })
        {
            Assert.Contains(part, explicitUrl);
        }
        // PGSERVICE names the service when the URL does not; New-DbUrl -Service is service= in the URL.
        using (new EnvironmentScope(("PGSERVICE", "svc")))
        {
            Assert.Contains("Host=svchost", ConnectionString("postgresql://"));
            Assert.Contains("Host=envhost", ConnectionString("postgresql://?service="));
        }
        Assert.Equal("postgresql://?service=svc", _shell.Values("(New-DbUrl -Service svc).RenderAsString()").Single());
        Assert.Equal("postgresql://h?sslmode=disable", _shell.Values("(New-DbUrl 'postgresql://h/?service=svc&sslmode=disable' -Service $null).RenderAsString()").Single());
    }

    [Fact]
    public void The_system_file_is_used_when_the_user_has_none()
    {
        string dir = Path.GetDirectoryName(WriteFile("sysconf/pg_service.conf", "[shared]\nhost=syshost\n"))!;
        using var env = new EnvironmentScope(("PGSERVICEFILE", null), ("HOME", _folder), ("PGSYSCONFDIR", dir), ("PGSERVICE", null), ("PGHOST", null));
        Assert.Contains("Host=syshost", ConnectionString("postgresql:///db?service=shared"));
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
        var uri = new Uri(Url.Replace("postgresql://", "http://"));
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
