using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>How the engine turns a URL's options into Npgsql's connection string (no server needed).</summary>
public sealed class ConnectionOptionTests : IClassFixture<ShellFixture>
{
    private readonly Pwsh _shell;

    public ConnectionOptionTests(ShellFixture fixture)
    {
        _shell = fixture.Shell;
        _shell.Run(ConnectionStringFunction);
    }

    /// <summary>ConnectionStrings.Build lives in the engine's load context: reach it by reflection, as the module does.</summary>
    internal const string ConnectionStringFunction = """
        function Get-ConnectionString($u) {
            $driver = [PgUsers.DbUrl].Assembly.GetType('PgUsers.Engine.Driver').GetProperty('Instance').GetValue($null)
            $type = $driver.GetType().Assembly.GetType('PgUsers.Driver.ConnectionStrings')
            $type.GetMethod('Build').Invoke($null, [object[]]@((New-DbUrl -Url $u).psobject.BaseObject)).ConnectionString
        }
        """;

    private string ConnectionString(string url) => (string)_shell.Set("u", url).Values("Get-ConnectionString $u").Single()!;

    [Fact]
    public void Each_libpq_option_maps_onto_its_Npgsql_keyword()
    {
        string text = ConnectionString("postgresql://u:pw@h1:5432,[::1]:5433,h3/db?sslmode=verify-full&connect_timeout=7"
            + "&application_name=app&target_session_attrs=read-write&options=-c%20a%3D1&keepalives=1&keepalives_idle=5"
            + "&keepalives_interval=3&sslnegotiation=postgres&require_auth=scram-sha-256,md5&channel_binding=require"
            + "&gssencmode=disable&load_balance_hosts=random&sslcert=/c.pem&sslkey=/k.pem&sslrootcert=/r.pem"
            + "&client_encoding=UTF8&krbsrvname=pg&passfile=/p");
        foreach (var expected in new[]
        {
            "SSL Mode=VerifyFull", "Timeout=7", "Application Name=app", "Target Session Attributes=read-write",
            "Options=\"-c a=1\"", "TCP Keepalive=True", "TCP Keepalive Time=5", "TCP Keepalive Interval=3",
            "SSL Negotiation=Postgres", "Require Auth=ScramSHA256,MD5", "Channel Binding=Require",
            "GSS Encryption Mode=Disable", "Load Balance Hosts=True", "SSL Certificate=/c.pem", "SSL Key=/k.pem",
            "Root Certificate=/r.pem", "Client Encoding=UTF8", "Kerberos Service Name=pg", "Passfile=/p",
            "Host=h1:5432,[::1]:5433,h3", "Username=u", "Database=db", "Password=pw",
        })
        {
            Assert.Contains(expected, text);
        }
    }

    [Theory]
    [InlineData("postgresql://h/d?connect_timeout=0", "Timeout=0")]
    [InlineData("postgresql://h/d?connect_timeout=-5", "Timeout=0")]
    [InlineData("postgresql://h/d?connect_timeout=1", "Timeout=2")]
    [InlineData("postgresql://h/d?connect_timeout=5000", "Timeout=1024")]
    [InlineData("postgresql://h/d?ssl=true", "SSL Mode=Require")]
    [InlineData("postgresql://h/d?sslmode=disable", "SSL Mode=Disable")]
    [InlineData("postgresql://h/d?fallback_application_name=fb", "Application Name=fb")]
    [InlineData("postgresql://h/d?fallback_application_name=fb&application_name=app", "Application Name=app")]
    [InlineData("postgresql://h:6000/d", "Host=h;Port=6000")]
    [InlineData("postgresql://[::1]:6000/d", "Host=::1;Port=6000")]
    [InlineData("postgresql://u@/d?host=/var/run/postgresql", "Host=/var/run/postgresql")]
    [InlineData("postgresql://u@/d?host=h1&host=h2:5433", "Host=h1,h2:5433;Port=5432")]
    [InlineData("postgresql://u@/d?host=h1&host=h2:5433&port=", "Host=h1,h2;")]
    public void Options_follow_libpq_meaning(string url, string expected) =>
        Assert.Contains(expected, ConnectionString(url));

    [Fact]
    public void A_user_without_a_database_means_the_database_of_that_name()
    {
        Assert.Contains("Username=alice;Database=alice", ConnectionString("postgresql://alice@h"));
    }

    [Theory]
    [InlineData("postgresql://h/d?bogus_option=1", "'bogus_option' has no Npgsql equivalent")]
    [InlineData("postgresql://h/d?hostaddr=1.2.3.4", "'hostaddr' has no Npgsql equivalent")]
    [InlineData("postgresql://h/d?sslmode=sometimes", "sslmode' has a value ('sometimes') that is not valid: expected one of disable, allow, prefer, require, verify-ca, verify-full")]
    [InlineData("postgresql://h/d?connect_timeout=soon", "connect_timeout")]
    [InlineData("postgresql://h/d?keepalives_interval=3", "keepalives_interval needs keepalives_idle")]
    [InlineData("postgresql://h/d?target_session_attrs=read-write", "needs a multi-host URL")]
    [InlineData("postgresql://h/d?sslnegotiation=direct", "sslnegotiation=direct needs sslmode=require")]
    [InlineData("postgresql://h/d?require_auth=kerberos", "require_auth")]
    public void New_DbEngine_rejects_an_option_it_cannot_map_naming_it(string url, string says)
    {
        var result = _shell.Invoke("New-DbEngine -Url $u -Name optioncheck", new Dictionary<string, object?> { ["u"] = url });
        var error = result.Error ?? throw new Xunit.Sdk.XunitException("no error for " + url);
        Assert.Equal("PgUsers.InvalidUrlOption,PgUsers.Commands.NewDbEngineCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(says, error.Exception.Message);
        Assert.Empty(_shell.Values("Get-DbEngine | Where-Object Name -eq optioncheck"));
    }

    [Fact]
    public void New_DbEngine_reports_a_malformed_url_string_as_InvalidUrl()
    {
        // Given as an argument it stops the statement: try/catch sees it.
        var given = (ErrorRecord)_shell.Values("try { New-DbEngine -Url 'postgresql://u:x@h:99999/d'; 'went on' } catch { $_ }").Single()!;
        Assert.Equal("PgUsers.InvalidUrl,PgUsers.Commands.NewDbEngineCommand", given.FullyQualifiedErrorId);
        Assert.Equal("Port", given.TargetObject);

        // Piped: one bad string is a non-terminating error and the next still makes its engine.
        var piped = _shell.Invoke("try { 'postgresql://h/d?oops', 'postgresql://h/d' | New-DbEngine -Name pipedcheck } catch { 'caught' }; Remove-DbEngine -Name pipedcheck");
        var error = Assert.Single(piped.Errors);
        Assert.Equal("PgUsers.InvalidUrl,PgUsers.Commands.NewDbEngineCommand", error.FullyQualifiedErrorId);
        Assert.Equal("Query", error.TargetObject);
        Assert.Equal("PgUsers.DbEngine", Assert.Single(piped.Output).BaseObject.GetType().FullName);
    }

    [Fact]
    public void An_sslpassword_value_is_masked_like_the_password()
    {
        var result = _shell.Invoke("New-DbEngine -Url 'postgresql://h/d?sslpassword=Sekr1t&sslmode=never'");
        Assert.Contains("sslmode", result.Error!.Exception.Message);
        Assert.DoesNotContain("Sekr1t", result.AllText());
        var ok = _shell.Invoke("$e = New-DbEngine -Url 'postgresql://h/d?sslpassword=Sekr1t'; \"$e\"; $e | Out-String; $e.Url.ToString(); $e.Url | ConvertTo-Json; Remove-DbEngine $e");
        Assert.Null(ok.Error);
        Assert.DoesNotContain("Sekr1t", ok.AllText());
        Assert.Equal("postgresql://h/d?sslpassword=***", ok.Output[2].ToString());
        Assert.Contains("sslpassword=Sekr1t", (string)_shell.Values("(New-DbUrl -Url 'postgresql://h/d?sslpassword=Sekr1t').RenderAsString($false)").Single()!);
    }
}
