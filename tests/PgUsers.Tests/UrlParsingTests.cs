using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>One runspace shared by a class's tests that need no server (URL parsing is pure).</summary>
public sealed class ShellFixture : IDisposable
{
    public Pwsh Shell { get; } = new();

    public void Dispose() => Shell.Dispose();
}

/// <summary>New-DbUrl -Url reads a URL string the way libpq (psql) does.</summary>
public sealed class UrlParsingTests : IClassFixture<ShellFixture>
{
    private readonly Pwsh _shell;

    public UrlParsingTests(ShellFixture fixture) => _shell = fixture.Shell;

    private PSObject Url(string text) => _shell.Set("text", text).Run("New-DbUrl -Url $text").Single();

    private static object?[] Hosts(PSObject url) =>
        ((System.Collections.IEnumerable)url.Prop("Hosts")!).Cast<object>().Select(h => h.ToString()).ToArray();

    [Fact]
    public void Every_part_is_percent_decoded()
    {
        var url = Url("postgresql://us%40er%3A1:p%40ss@db.example.com:5433/my%2Fdb%20x?application_name=a%20b%26c&sslmode=require");
        Assert.Equal("postgresql", url.Prop("Drivername"));
        Assert.Equal("us@er:1", url.Prop("Username"));
        Assert.Equal(true, url.Prop("HasPassword"));
        Assert.Equal("db.example.com", url.Prop("HostName"));
        Assert.Equal(5433, url.Prop("Port"));
        Assert.Equal("my/db x", url.Prop("Database"));
        var query = (IReadOnlyDictionary<string, object>)url.Prop("Query")!;
        Assert.Equal("a b&c", query["application_name"]);
        Assert.Equal("require", query["sslmode"]);
        Assert.Equal("postgresql://us%40er%3A1:***@db.example.com:5433/my%2Fdb%20x?application_name=a%20b%26c&sslmode=require", url.ToString());
    }

    [Theory]
    [InlineData("postgres://u@h/d", "postgresql://u@h/d")]
    [InlineData("postgresql+psycopg2://u@h/d", "postgresql+psycopg2://u@h/d")]
    [InlineData("postgres+asyncpg://h", "postgresql+asyncpg://h")]
    [InlineData("postgresql://", "postgresql://")]
    [InlineData("postgresql://h/", "postgresql://h")]
    [InlineData("postgresql://:5433", "postgresql://:5433")]
    [InlineData("postgresql://h:/d", "postgresql://h/d")]
    [InlineData("postgresql://h/d?", "postgresql://h/d")]
    [InlineData("postgresql://h/d?a=1&", "postgresql://h/d?a=1")]
    [InlineData("postgresql://h/d?b=2&a=1", "postgresql://h/d?a=1&b=2")]
    public void Schemes_and_empty_parts_normalize(string text, string rendered) =>
        Assert.Equal(rendered, Url(text).ToString());

    [Fact]
    public void All_defaults_for_a_bare_scheme()
    {
        var url = Url("postgresql://");
        Assert.Null(url.Prop("Username"));
        Assert.Equal(false, url.Prop("HasPassword"));
        Assert.Null(url.Prop("HostName"));
        Assert.Null(url.Prop("Port"));
        Assert.Null(url.Prop("Database"));
        Assert.Empty((IReadOnlyDictionary<string, object>)url.Prop("Query")!);
    }

    [Theory]
    [InlineData("postgresql://[::1]/d", "::1", null, "postgresql://[::1]/d")]
    [InlineData("postgresql://[::1]:5433/d", "::1", 5433, "postgresql://[::1]:5433/d")]
    [InlineData("postgresql://u@[2001:db8::7]", "2001:db8::7", null, "postgresql://u@[2001:db8::7]")]
    [InlineData("postgresql://[fe80::1%25eth0]:5432", "fe80::1%eth0", 5432, "postgresql://[fe80::1%25eth0]:5432")]
    public void IPv6_hosts_in_brackets(string text, string host, int? port, string rendered)
    {
        var url = Url(text);
        Assert.Equal(host, url.Prop("HostName"));
        Assert.Equal(port, url.Prop("Port"));
        Assert.Equal(rendered, url.ToString());
    }

    [Theory]
    [InlineData("postgresql://u@h1:5432,h2:5433,[::1]/d")]
    [InlineData("postgresql://u@/d?host=h1:5432&host=h2:5433&host=[::1]")]
    [InlineData("postgresql://u@/d?host=h1%3A5432,h2:5433&host=%5B::1%5D")]
    public void Multi_host_in_libpq_and_SQLAlchemy_forms(string text)
    {
        var url = Url(text);
        Assert.Equal(new object?[] { "h1:5432", "h2:5433", "[::1]" }, Hosts(url));
        Assert.Equal("h1,h2,::1", url.Prop("HostName"));
        Assert.Null(url.Prop("Port"));
        // SQLAlchemy's form, as its render_as_string writes it.
        Assert.Equal("postgresql://u@/d?host=h1%3A5432&host=h2%3A5433&host=%5B%3A%3A1%5D", url.ToString());
    }

    [Fact]
    public void The_query_fills_the_parts_the_authority_left_out()
    {
        var url = Url("postgresql:///?user=al%20ice&password=s3cret&dbname=app&port=5433&host=%2Fvar%2Frun%2Fpostgresql&sslmode=disable");
        Assert.Equal("al ice", url.Prop("Username"));
        Assert.Equal(true, url.Prop("HasPassword"));
        Assert.Equal("app", url.Prop("Database"));
        Assert.Equal("/var/run/postgresql", url.Prop("HostName"));
        Assert.Equal(5433, url.Prop("Port"));
        Assert.Equal(new[] { "sslmode" }, ((IReadOnlyDictionary<string, object>)url.Prop("Query")!).Keys);
        Assert.Equal("/var/run/postgresql", Url("postgresql://u@/app?host=/var/run/postgresql").Prop("HostName"));
    }

    [Fact]
    public void The_query_wins_over_the_authority_as_in_libpq()
    {
        var url = Url("postgresql://a@h1:1/db1?user=b&host=h2&port=2&dbname=db2");
        Assert.Equal("postgresql://b@h2:2/db2", url.ToString());
        // libpq's port list: one for all hosts, or one per host.
        Assert.Equal(new object?[] { "h1:7", "h2:7" }, Hosts(Url("postgresql://h1,h2?port=7")));
        Assert.Equal(new object?[] { "h1:7", "h2" }, Hosts(Url("postgresql://h1,h2?port=7,")));
        // A query host takes the authority's port, as psql does: the usual way to give a socket folder a port.
        Assert.Equal(new object?[] { "/var/run/postgresql:5433" }, Hosts(Url("postgresql://u@:5433/d?host=/var/run/postgresql")));
        Assert.Equal(new object?[] { "x:5433" }, Hosts(Url("postgres://u:p@[::1]:5433/d?host=x")));
        Assert.Equal(new object?[] { "a:1", "b:2" }, Hosts(Url("postgresql://h1:1,h2:2?host=a,b")));
        Assert.Equal(new object?[] { "a:9", "b:2" }, Hosts(Url("postgresql://h:2?host=a:9&host=b")));
    }

    [Fact]
    public void A_repeated_key_keeps_all_its_values()
    {
        var url = Url("postgresql://h/d?options=-c%20a%3D1&options=-c%20b%3D2&sslmode=require");
        var query = (IReadOnlyDictionary<string, object>)url.Prop("Query")!;
        Assert.Equal(new[] { "-c a=1", "-c b=2" }, ((IEnumerable<string>)query["options"]).ToArray());
        Assert.Equal("postgresql://h/d?options=-c%20a%3D1&options=-c%20b%3D2&sslmode=require", url.ToString());
    }

    [Fact]
    public void Like_libpq_the_user_info_ends_at_the_first_at_sign_before_a_slash()
    {
        // An unescaped '?' in a password still works, as it does for psql.
        var url = Url("postgresql://u:pa?ss@h/d");
        Assert.Equal("u", url.Prop("Username"));
        Assert.Equal("h", url.Prop("HostName"));
        Assert.Equal("postgresql://u:pa%3Fss@h/d", _shell.Set("u", url).Values("$u.RenderAsString($false)").Single());
    }

    [Theory]
    [InlineData("postgresql://u:Sekr1t%zz@h/d", "password", "Password")]
    [InlineData("postgresql://u:Sekr1t%4@h/d", "password", "Password")]
    [InlineData("postgresql://u:Sekr1t%00x@h/d", "%00", "Password")]
    [InlineData("postgresql://u:Sekr1t@h/d%zz", "database", "Database")]
    [InlineData("postgresql://u:Sekr1t@h%4/d", "host", "HostName")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=%zz", "query option 'a'", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?password=Sekr1t%zz", "password", "Password")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=%ff", "UTF-8", "Query")]
    [InlineData("postgresql://u:Sekr1t@[::1/d", "']'", "HostName")]
    [InlineData("postgresql://u:Sekr1t@[]/d", "empty", "HostName")]
    [InlineData("postgresql://u:Sekr1t@[::1]x/d", "']'", "HostName")]
    [InlineData("postgresql://u:Sekr1t@h/d?Sekr1t", "no '='", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=1&&b=2", "no '='", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=b=Sekr1t", "second '='", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?=Sekr1t", "empty name", "Query")]
    [InlineData("postgresql://u:Sekr1t@h:port/d", "port", "Port")]
    [InlineData("postgresql://u:Sekr1t@h:99999/d", "port", "Port")]
    [InlineData("postgresql://u:Sekr1t@h:0/d", "port", "Port")]
    [InlineData("postgresql://u:Sekr1t@h/d?port=x", "port", "Port")]
    [InlineData("postgresql://h1,h2/d?port=1,2,3", "3 ports for 2 hosts", "Port")]
    [InlineData("postgresql://u:Sekr1t/x@h/d", "port", "Port")]
    [InlineData("postgresql://u:Sek@r1t@h/d", "'@'", "HostName")]
    [InlineData("mysql://u:Sekr1t@h/d", "'mysql' is not PostgreSQL", "Drivername")]
    [InlineData("postgresql+://u:Sekr1t@h/d", "driver", "Drivername")]
    [InlineData("host=h user=u password=Sekr1t", "key=value", "Url")]
    [InlineData("u:Sekr1t@h/d", "postgresql://", "Url")]
    public void Malformed_urls_say_which_part_is_wrong_and_never_echo_the_password(string text, string says, string part)
    {
        var result = _shell.Invoke("try { New-DbUrl -Url $text; 'went on' } catch { $_ }", new Dictionary<string, object?> { ["text"] = text });
        var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("PgUsers.InvalidUrl,PgUsers.Commands.NewDbUrlCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(part, error.TargetObject);
        Assert.Contains(says, error.Exception.Message);
        Assert.DoesNotContain("Sekr1t", result.AllText());
    }

    [Fact]
    public void A_bad_url_among_piped_ones_is_a_non_terminating_error()
    {
        var result = _shell.Invoke("try { 'postgresql://a', 'postgresql://b:x', 'postgresql://c' | New-DbUrl } catch { 'caught' }");
        Assert.Equal(new[] { "postgresql://a", "postgresql://c" }, result.Output.Select(o => o.ToString()));
        Assert.Equal("PgUsers.InvalidUrl,PgUsers.Commands.NewDbUrlCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }
}
