using Npgsql;

namespace PgUsers.UnitTests;

/// <summary>
/// Clears libpq's environment variables for one test and puts them back after; the tests of this
/// project run one at a time (xunit.runner.json), so no other test sees the change.
/// </summary>
public abstract class CleanEnvironment : IDisposable
{
    private static readonly string[] s_variables =
    {
        "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR", "PGSSLMODE",
        "PGSSLNEGOTIATION", "PGSSLCERT", "PGSSLKEY", "PGSSLROOTCERT", "PGAPPNAME", "PGCONNECT_TIMEOUT", "PGTARGETSESSIONATTRS",
        "PGOPTIONS", "PGCLIENTENCODING", "PGKRBSRVNAME", "PGPASSFILE", "PGREQUIREAUTH", "PGCHANNELBINDING", "PGGSSENCMODE",
        "PGLOADBALANCEHOSTS",
    };

    private readonly List<(string Name, string? Old)> _saved = new();

    protected CleanEnvironment()
    {
        foreach (var name in s_variables) Set(name, null);
    }

    /// <summary>Sets a variable for this test (null removes it).</summary>
    protected void Set(string name, string? value)
    {
        _saved.Add((name, Environment.GetEnvironmentVariable(name)));
        Environment.SetEnvironmentVariable(name, value);
    }

    public virtual void Dispose()
    {
        for (int i = _saved.Count - 1; i >= 0; i--) Environment.SetEnvironmentVariable(_saved[i].Name, _saved[i].Old);
    }
}

/// <summary>ConnectionStrings: a DbUrl as an Npgsql connection string, with libpq's meaning for every option.</summary>
public sealed class ConnectionStringsTests : CleanEnvironment
{
    private static NpgsqlConnectionStringBuilder Build(string url) => ConnectionStrings.Build(DbUrl.Parse(url));

    private static string Text(string url) => Build(url).ConnectionString;

    private static DbConfigurationException Refused(string url) => Assert.Throws<DbConfigurationException>(() => Build(url));

    [Fact]
    public void Each_libpq_option_maps_onto_its_Npgsql_keyword()
    {
        string text = Text("postgresql://u:pw@h1:5432,[::1]:5433,h3/db?sslmode=verify-full&connect_timeout=7"
            + "&application_name=app&target_session_attrs=read-write&options=-c%20a%3D1&keepalives=1&keepalives_idle=5"
            + "&keepalives_interval=3&sslnegotiation=postgres&require_auth=scram-sha-256,md5&channel_binding=require"
            + "&gssencmode=disable&load_balance_hosts=random&sslcert=/c.pem&sslkey=/k.pem&sslrootcert=/r.pem"
            + "&client_encoding=UTF8&krbsrvname=pg&passfile=/p&sslpassword=kp");
        foreach (var expected in new[]
        {
            "SSL Mode=VerifyFull", "Timeout=7", "Application Name=app", "Target Session Attributes=read-write",
            "Options=\"-c a=1\"", "TCP Keepalive=True", "TCP Keepalive Time=5", "TCP Keepalive Interval=3",
            "SSL Negotiation=Postgres", "Require Auth=ScramSHA256,MD5", "Channel Binding=Require",
            "GSS Encryption Mode=Disable", "Load Balance Hosts=True", "SSL Certificate=/c.pem", "SSL Key=/k.pem",
            "Root Certificate=/r.pem", "Client Encoding=UTF8", "Kerberos Service Name=pg", "Passfile=/p", "SSL Password=kp",
            "Host=h1:5432,[::1]:5433,h3", "Username=u", "Database=db", "Password=pw",
        })
        {
            Assert.Contains(expected, text);
        }
    }

    [Fact]
    public void The_known_options_are_listed_in_order()
    {
        Assert.Equal(ConnectionStrings.KnownOptions.Order(StringComparer.Ordinal), ConnectionStrings.KnownOptions);
        Assert.Contains("sslmode", ConnectionStrings.KnownOptions);
        Assert.DoesNotContain("service", ConnectionStrings.KnownOptions);
        Assert.DoesNotContain("hostaddr", ConnectionStrings.KnownOptions);
    }

    [Theory]
    [InlineData("postgresql://h/d?connect_timeout=0", "Timeout=0")]
    [InlineData("postgresql://h/d?connect_timeout=-5", "Timeout=0")]
    [InlineData("postgresql://h/d?connect_timeout=1", "Timeout=2")]
    [InlineData("postgresql://h/d?connect_timeout=%2030%20", "Timeout=30")]
    [InlineData("postgresql://h/d?connect_timeout=5000", "Timeout=1024")]
    [InlineData("postgresql://h/d?ssl=true", "SSL Mode=Require")]
    [InlineData("postgresql://h/d?sslmode=disable", "SSL Mode=Disable")]
    [InlineData("postgresql://h/d?sslmode=allow", "SSL Mode=Allow")]
    [InlineData("postgresql://h/d?sslmode=verify-ca", "SSL Mode=VerifyCA")]
    [InlineData("postgresql://h/d?sslmode=require&sslnegotiation=direct", "SSL Negotiation=Direct")]
    [InlineData("postgresql://h/d?fallback_application_name=fb", "Application Name=fb")]
    [InlineData("postgresql://h/d?fallback_application_name=fb&application_name=app", "Application Name=app")]
    [InlineData("postgresql://h/d?keepalives=0", "TCP Keepalive=False")]
    [InlineData("postgresql://h/d?require_auth=!md5,!password", "Require Auth=!MD5,!Password")]
    [InlineData("postgresql://h/d?require_auth=gss,sspi,none", "Require Auth=GSS,SSPI,None")]
    [InlineData("postgresql://h/d?channel_binding=disable&gssencmode=require", "Channel Binding=Disable;GSS Encryption Mode=Require")]
    [InlineData("postgresql://h/d?load_balance_hosts=disable", "Load Balance Hosts=False")]
    [InlineData("postgresql://h1,h2/d?target_session_attrs=prefer-standby", "Target Session Attributes=prefer-standby")]
    [InlineData("postgresql://h/d?target_session_attrs=any", "Target Session Attributes=any")]
    [InlineData("postgresql://h:6000/d", "Host=h;Port=6000")]
    [InlineData("postgresql://h/d", "Host=h;Port=5432")]
    [InlineData("postgresql://[::1]:6000/d", "Host=::1;Port=6000")]
    [InlineData("postgresql://u@/d?host=/var/run/postgresql", "Host=/var/run/postgresql")]
    [InlineData("postgresql://u@/d?host=h1&host=h2:5433", "Host=h1,h2:5433;Port=5432")]
    [InlineData("postgresql://u@/d?host=h1&host=h2:5433&port=", "Host=h1,h2;")]
    [InlineData("postgresql://u@/d?host=/tmp:5433,h2", "Host=/tmp:5433,h2;")]
    public void Options_follow_libpq_meaning(string url, string expected) =>
        Assert.Contains(expected, Text(url));

    [Fact]
    public void TCP_keepalives_are_on_unless_turned_off_as_in_libpq()
    {
        Assert.True(Build("postgresql://h/d").TcpKeepAlive);
        Assert.False(Build("postgresql://h/d?keepalives=0").TcpKeepAlive);
    }

    [Fact]
    public void A_user_without_a_database_means_the_database_of_that_name()
    {
        Assert.Contains("Username=alice;Database=alice", Text("postgresql://alice@h"));
        var defaults = Build("postgresql://h");
        Assert.Equal(Environment.UserName, defaults.Username);
        Assert.Equal(Environment.UserName, defaults.Database);
        Assert.Null(defaults.Password);
    }

    [Fact]
    public void An_empty_password_is_no_password()
    {
        Assert.Null(Build("postgresql://u:@h/d").Password);
        Set("PGPASSWORD", "fromenv");
        Assert.Equal("fromenv", Build("postgresql://u:@h/d").Password);
        Assert.Equal("given", Build("postgresql://u:given@h/d").Password);
    }

    [Theory]
    [InlineData("postgresql://h/d?bogus_option=1", "The URL option 'bogus_option' has no Npgsql equivalent. Options understood: application_name, channel_binding,")]
    [InlineData("postgresql://h/d?hostaddr=1.2.3.4", "'hostaddr' has no Npgsql equivalent")]
    [InlineData("postgresql://h/d?sslmode=sometimes", "The URL option 'sslmode' has a value ('sometimes') that is not valid: expected one of disable, allow, prefer, require, verify-ca, verify-full.")]
    [InlineData("postgresql://h/d?sslmode=REQUIRE", "expected one of disable, allow")]
    [InlineData("postgresql://h/d?ssl=false", "The URL option 'ssl' has a value ('false') that is not valid: expected one of true.")]
    [InlineData("postgresql://h/d?connect_timeout=soon", "The URL option 'connect_timeout' has a value ('soon') that is not valid: expected a whole number of seconds.")]
    [InlineData("postgresql://h/d?keepalives=yes", "expected one of 1, 0")]
    [InlineData("postgresql://h/d?keepalives_idle=-1&keepalives_interval=1", "'keepalives_idle' has a value ('-1') that is not valid: expected a whole number of seconds")]
    [InlineData("postgresql://h/d?keepalives_interval=3", "The URL option keepalives_interval needs keepalives_idle too (Npgsql sets both or neither).")]
    [InlineData("postgresql://h/d?target_session_attrs=read-write", "The URL option target_session_attrs=read-write needs a multi-host URL with Npgsql.")]
    [InlineData("postgresql://h/d?target_session_attrs=primary-only", "expected one of any, read-write, read-only, primary, standby, prefer-standby")]
    [InlineData("postgresql://h/d?sslnegotiation=direct", "The URL option sslnegotiation=direct needs sslmode=require, verify-ca or verify-full.")]
    [InlineData("postgresql://h/d?sslnegotiation=tls", "expected one of postgres, direct")]
    [InlineData("postgresql://h/d?require_auth=kerberos", "'require_auth' has a value ('kerberos') that is not valid: expected one of password, md5, gss, sspi, scram-sha-256, none")]
    [InlineData("postgresql://h/d?channel_binding=always", "expected one of disable, prefer, require")]
    [InlineData("postgresql://h/d?gssencmode=allow", "expected one of disable, prefer, require")]
    [InlineData("postgresql://h/d?load_balance_hosts=roundrobin", "expected one of disable, random")]
    public void An_option_it_cannot_map_is_refused_naming_it(string url, string says)
    {
        var e = Refused(url);
        Assert.Contains(says, e.Message);
        Assert.Equal("Query", e.ParamName);
    }

    [Fact]
    public void An_sslpassword_is_never_quoted()
    {
        var e = Refused("postgresql://h/d?sslpassword=Sekr1t&sslmode=never");
        Assert.Contains("sslmode", e.Message);
        Assert.DoesNotContain("Sekr1t", e.Message);
        Assert.Equal("kp", Build("postgresql://h/d?sslpassword=kp").SslPassword);
    }

    [Fact]
    public void An_unusable_url_is_refused_with_its_own_problem()
    {
        var problem = new DbConfigurationException("The URL's port is not a number from 1 to 65535.", "Port");
        Assert.Same(problem, Assert.Throws<DbConfigurationException>(() => ConnectionStrings.Build(DbUrl.Unusable(problem))));
    }

    [Theory]
    [InlineData("PGSSLMODE", "require", "SSL Mode=Require")]
    [InlineData("PGSSLNEGOTIATION", "postgres", "SSL Negotiation=Postgres")]
    [InlineData("PGSSLCERT", "/c.pem", "SSL Certificate=/c.pem")]
    [InlineData("PGSSLKEY", "/k.pem", "SSL Key=/k.pem")]
    [InlineData("PGSSLROOTCERT", "/r.pem", "Root Certificate=/r.pem")]
    [InlineData("PGAPPNAME", "envapp", "Application Name=envapp")]
    [InlineData("PGCONNECT_TIMEOUT", "9", "Timeout=9")]
    [InlineData("PGOPTIONS", "-c x=1", "Options=\"-c x=1\"")]
    [InlineData("PGCLIENTENCODING", "LATIN1", "Client Encoding=LATIN1")]
    [InlineData("PGKRBSRVNAME", "krb", "Kerberos Service Name=krb")]
    [InlineData("PGPASSFILE", "/pass", "Passfile=/pass")]
    [InlineData("PGREQUIREAUTH", "md5", "Require Auth=MD5")]
    [InlineData("PGCHANNELBINDING", "disable", "Channel Binding=Disable")]
    [InlineData("PGGSSENCMODE", "disable", "GSS Encryption Mode=Disable")]
    [InlineData("PGLOADBALANCEHOSTS", "random", "Load Balance Hosts=True")]
    [InlineData("PGHOST", "envhost", "Host=envhost")]
    [InlineData("PGPORT", "6001", "Port=6001")]
    [InlineData("PGUSER", "envuser", "Username=envuser;Database=envuser")]
    [InlineData("PGDATABASE", "envdb", "Database=envdb")]
    [InlineData("PGPASSWORD", "envpw", "Password=envpw")]
    public void Environment_variables_fill_what_the_url_leaves_out(string variable, string value, string expected)
    {
        Set(variable, value);
        Assert.Contains(expected, Text("postgresql://"));
    }

    [Fact]
    public void The_url_wins_over_the_environment()
    {
        Set("PGSSLMODE", "require");
        Set("PGAPPNAME", "envapp");
        Set("PGHOST", "envhost");
        Set("PGPORT", "6001");
        Set("PGUSER", "envuser");
        Set("PGDATABASE", "envdb");
        Set("PGPASSWORD", "envpw");
        var b = Build("postgresql://u:pw@h:7/d?sslmode=disable&application_name=app");
        Assert.Equal(SslMode.Disable, b.SslMode);
        Assert.Equal("app", b.ApplicationName);
        Assert.Equal(("h", 7, "u", "d", "pw"), (b.Host, b.Port, b.Username, b.Database, b.Password));
        // An empty host in a list is the default host; a host without a port takes the default port.
        Assert.Equal("envhost:1,h2", Build("postgresql://:1,h2/d").Host);
        Assert.Equal(6001, Build("postgresql://:1,h2/d").Port);
        // libpq: PGAPPNAME beats fallback_application_name.
        Assert.Equal("envapp", Build("postgresql://h/d?fallback_application_name=fb").ApplicationName);
    }

    [Fact]
    public void An_empty_environment_variable_is_unset()
    {
        Set("PGSSLMODE", "");
        Set("PGPORT", "");
        Set("PGUSER", "");
        var b = Build("postgresql://h/d");
        Assert.Equal(5432, b.Port);
        Assert.Equal(Environment.UserName, b.Username);
        Assert.Equal(SslMode.Prefer, b.SslMode);
    }

    [Theory]
    [InlineData("PGSSLMODE", "bogus", "The environment variable PGSSLMODE has a value ('bogus') that is not valid: expected one of disable, allow, prefer, require, verify-ca, verify-full.", "Query")]
    [InlineData("PGCONNECT_TIMEOUT", "soon", "The environment variable PGCONNECT_TIMEOUT has a value ('soon') that is not valid: expected a whole number of seconds.", "Query")]
    [InlineData("PGTARGETSESSIONATTRS", "read-write", "target_session_attrs=read-write needs a multi-host URL", "Query")]
    [InlineData("PGPORT", "x", "The environment variable PGPORT is not a port number from 1 to 65535.", "Port")]
    [InlineData("PGPORT", "70000", "The environment variable PGPORT is not a port number from 1 to 65535.", "Port")]
    public void A_bad_environment_variable_is_refused_naming_it(string variable, string value, string says, string part)
    {
        Set(variable, value);
        var e = Refused("postgresql://h/d");
        Assert.Contains(says, e.Message);
        Assert.Equal(part, e.ParamName);
    }

    private string WriteServiceFile(string text)
    {
        string file = Path.Combine(_folder.Value, "service.conf");
        File.WriteAllText(file, text);
        return file;
    }

    private readonly Lazy<string> _folder = new(() => Directory.CreateTempSubdirectory("pgusers-unit-cs-").FullName);

    public override void Dispose()
    {
        if (_folder.IsValueCreated) Directory.Delete(_folder.Value, recursive: true);
        base.Dispose();
    }

    [Fact]
    public void A_service_fills_what_the_URL_leaves_out_and_beats_the_environment()
    {
        Set("PGSERVICEFILE", WriteServiceFile("""
            [svc]
            host=svchost
            port=6543
            dbname=svcdb
            user=svcuser
            password=svcsecret
            sslmode=require
            application_name=svcapp
            [multi]
            host= a , b
            """));
        Set("PGHOST", "envhost");
        Set("PGDATABASE", "envdb");
        Set("PGSSLMODE", "disable");
        Set("PGUSER", "envuser");
        string fromService = Text("postgresql:///?service=svc");
        foreach (var part in new[] { "Host=svchost", "Port=6543", "Database=svcdb", "Username=svcuser", "Password=svcsecret", "SSL Mode=Require", "Application Name=svcapp" })
        {
            Assert.Contains(part, fromService);
        }
        // Explicit URL fields and options win; the service's port still fills the port the URL left out.
        string explicitUrl = Text("postgresql://urluser@urlhost/urldb?service=svc&application_name=urlapp");
        foreach (var part in new[] { "Host=urlhost", "Port=6543", "Database=urldb", "Username=urluser", "Application Name=urlapp", "SSL Mode=Require" })
        {
            Assert.Contains(part, explicitUrl);
        }
        Assert.Equal("a,b", Build("postgresql:///?service=multi").Host);
        // PGSERVICE names the service when the URL does not; an empty service= in the URL names none.
        Set("PGSERVICE", "svc");
        Assert.Equal("svchost", Build("postgresql://").Host);
        Assert.Equal("envhost", Build("postgresql://?service=").Host);
    }

    [Fact]
    public void The_system_file_is_used_when_the_user_has_none()
    {
        File.WriteAllText(Path.Combine(_folder.Value, "pg_service.conf"), "[shared]\nhost=syshost\n");
        Set("PGSERVICEFILE", Path.Combine(_folder.Value, "none.conf"));
        Set("PGSYSCONFDIR", _folder.Value);
        Assert.Equal("syshost", Build("postgresql:///db?service=shared").Host);
    }

    [Fact]
    public void An_unknown_service_or_an_option_Npgsql_lacks_is_refused_without_the_password()
    {
        string file = WriteServiceFile("[crl]\nsslcrl=/etc/crl.pem\npassword=do-not-show\n[port]\nport=x\n[mode]\nsslmode=sometimes\n");
        Set("PGSERVICEFILE", file);
        var missing = Refused("postgresql:///?service=nowhere");
        Assert.StartsWith("The service 'nowhere' is not defined in any service file (searched " + file, missing.Message);
        var lacking = Refused("postgresql:///?service=crl");
        Assert.Equal($"The service 'crl' (in {file}) sets 'sslcrl', which has no Npgsql equivalent. Options understood: {string.Join(", ", ConnectionStrings.KnownOptions)}.", lacking.Message);
        Assert.DoesNotContain("do-not-show", lacking.Message);
        Assert.Equal("The service's port is not a port number from 1 to 65535.", Refused("postgresql:///?service=port").Message);
        Assert.StartsWith($"The service 'mode' (in {file}) option 'sslmode' has a value ('sometimes') that is not valid", Refused("postgresql:///?service=mode").Message);
    }
}
