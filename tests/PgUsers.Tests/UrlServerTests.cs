using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>URLs against the real server: awkward passwords, libpq's environment variables, options reaching the server.</summary>
public sealed class UrlServerTests : DbTest
{
    // Every character that breaks a naive URL, and a quote that breaks naive SQL.
    private const string AwkwardPassword = "p@ss:w/o%rd?x#y'z \"q&=+[]";

    private readonly string _role = "url_role_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _host;
    private readonly int _port;

    public UrlServerTests(ServerFixture server) : base(server)
    {
        var uri = UrlParts;
        _host = uri.Host;
        _port = uri.Port;
        Sql($"CREATE ROLE {_role} LOGIN PASSWORD '{AwkwardPassword.Replace("'", "''")}'");
    }

    public override void Dispose()
    {
        base.Dispose();
        Sql($"DROP ROLE IF EXISTS {_role}");
    }

    private Dictionary<string, object?> Parts() => new()
    {
        ["role"] = _role, ["pw"] = AwkwardPassword, ["h"] = _host, ["p"] = _port, ["db"] = Database,
    };

    [Fact]
    public void A_password_with_URL_and_SQL_metacharacters_connects_from_parts_and_from_an_escaped_string()
    {
        var fromParts = Shell.Invoke("""
            $u = New-DbUrl -Username $role -Password $pw -HostName $h -Port $p -Database $db
            Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u)
            """, Parts());
        Assert.Null(fromParts.Error);
        Assert.Equal(_role, Assert.Single(fromParts.Output).BaseObject);

        string text = $"postgresql://{_role}:{Uri.EscapeDataString(AwkwardPassword)}@{_host}:{_port}/{Database}";
        var fromString = Shell.Invoke("Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $text)",
            new Dictionary<string, object?> { ["text"] = text });
        Assert.Null(fromString.Error);
        Assert.Equal(_role, Assert.Single(fromString.Output).BaseObject);

        // What New-DbUrl renders unmasked is what connects.
        var rendered = Shell.Invoke("""
            $again = (New-DbUrl -Username $role -Password $pw -HostName $h -Port $p -Database $db).RenderAsString($false)
            Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $again)
            """, Parts());
        Assert.Null(rendered.Error);
        Assert.Equal(_role, Assert.Single(rendered.Output).BaseObject);
    }

    [Fact]
    public void A_socket_folder_host_connects_over_the_Unix_socket()
    {
        string folder = ((string)SqlScalar("SHOW unix_socket_directories")!).Split(',')[0].Trim();
        if (!Directory.Exists(folder)) return; // A server elsewhere (PGUSERS_TEST_URL): its socket is not here.
        var parts = Parts();
        parts["socket"] = folder;
        parts["escaped"] = $"postgresql://{_role}:{Uri.EscapeDataString(AwkwardPassword)}@{Uri.EscapeDataString(folder)}:{_port}/{Database}";
        parts["query"] = $"postgresql://{_role}:{Uri.EscapeDataString(AwkwardPassword)}@:{_port}/{Database}?host={folder}";
        var result = Shell.Invoke("""
            $u = New-DbUrl -Username $role -Password $pw -HostName $socket -Port $p -Database $db
            foreach ($each in $u, $escaped, $query) {
                # inet_server_addr() is NULL over a Unix socket.
                Invoke-DbQuery 'SELECT current_user AS who, inet_server_addr() IS NULL AS socket' -Engine (New-DbEngine $each)
            }
            """, parts);
        Assert.Null(result.Error);
        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, row =>
        {
            Assert.Equal(_role, row.Prop("who"));
            Assert.Equal(true, row.Prop("socket"));
        });
    }

    [Fact]
    public void Empty_fields_fall_back_to_libpq_environment_variables()
    {
        using var env = new EnvironmentScope(("PGUSER", _role), ("PGPASSWORD", AwkwardPassword));
        var result = Shell.Invoke("""
            $u = New-DbUrl -HostName $h -Port $p -Database $db
            $u.HasPassword
            Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u)
            """, Parts());
        Assert.Null(result.Error);
        Assert.Equal(new object[] { false, _role }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void A_bare_scheme_connects_with_everything_from_the_environment()
    {
        using var env = new EnvironmentScope(("PGHOST", _host), ("PGPORT", _port.ToString()), ("PGUSER", _role),
            ("PGPASSWORD", AwkwardPassword), ("PGDATABASE", Database), ("PGSSLMODE", "disable"), ("PGAPPNAME", "url_env_app"));
        var result = Shell.Invoke("""
            Invoke-DbQuery 'SELECT current_user, current_database(), current_setting(''application_name'') AS app' -Engine (New-DbEngine 'postgresql://')
            """);
        Assert.Null(result.Error);
        var row = Assert.Single(result.Output);
        Assert.Equal(_role, row.Prop("current_user"));
        Assert.Equal(Database, row.Prop("current_database"));
        Assert.Equal("url_env_app", row.Prop("app"));
    }

    [Fact]
    public void The_url_wins_over_the_environment()
    {
        using var env = new EnvironmentScope(("PGUSER", "nobody_here"), ("PGPASSWORD", "wrong"), ("PGDATABASE", "nowhere"));
        var result = Shell.Invoke("""
            $u = New-DbUrl -Username $role -Password $pw -HostName $h -Port $p -Database $db
            Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u)
            """, Parts());
        Assert.Null(result.Error);
        Assert.Equal(_role, result.Output.Single().BaseObject);
    }

    [Fact]
    public void A_bad_environment_variable_is_named()
    {
        using var env = new EnvironmentScope(("PGSSLMODE", "sometimes"));
        var result = Shell.Invoke("New-DbEngine 'postgresql://h/d'");
        Assert.Equal("PgUsers.InvalidUrlOption,PgUsers.Commands.NewDbEngineCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains("PGSSLMODE", result.Error.Exception.Message);
    }

    [Fact]
    public void Application_name_reaches_pg_stat_activity()
    {
        var result = Shell.Invoke("""
            $e = New-DbEngine "${url}?application_name=url_app_check&connect_timeout=5&sslmode=disable"
            Invoke-DbQuery 'SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()' -Scalar -Engine $e
            """);
        Assert.Null(result.Error);
        Assert.Equal("url_app_check", result.Output.Single().BaseObject);
        // The pool keeps the connection: the server sees it under that name.
        Assert.Equal(1, ConnectionsNamed("url_app_check"));
    }

    [Fact]
    public void An_unknown_option_is_rejected_before_any_connection()
    {
        var result = Shell.Invoke("New-DbEngine \"${url}?application_name=url_never&no_such_option=1\"");
        Assert.Equal("PgUsers.InvalidUrlOption,PgUsers.Commands.NewDbEngineCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains("'no_such_option'", result.Error.Exception.Message);
        Assert.Equal(0, ConnectionsNamed("url_never"));
    }
}
