using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>One runspace shared by a class's tests that need no server (URL parsing is pure).</summary>
public sealed class ShellFixture : IDisposable
{
    public Pwsh Shell { get; } = new();

    public void Dispose() => Shell.Dispose();
}

/// <summary>
/// New-DbUrl -Url end to end: the parts as PowerShell sees them, the error records of a bad URL. The libpq
/// rules themselves (every form, every refusal) are tested once, in tests/PgUsers.UnitTests/DbUrlTextTests.cs.
/// </summary>
public sealed class UrlParsingTests : IClassFixture<ShellFixture>
{
    private readonly Pwsh _shell;

    public UrlParsingTests(ShellFixture fixture) => _shell = fixture.Shell;

    private PSObject Url(string text) => _shell.Set("text", text).Run("New-DbUrl -Url $text").Single();

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
    [InlineData("postgresql://u:Sekr1t%zz@h/d", "password", "Password")]
    [InlineData("postgresql://u:Sekr1t@h/d%zz", "database", "Database")]
    [InlineData("postgresql://u:Sekr1t@[::1/d", "']'", "HostName")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=b=Sekr1t", "second '='", "Query")]
    [InlineData("postgresql://u:Sekr1t@h:99999/d", "port", "Port")]
    [InlineData("postgresql://h1,h2/d?port=1,2,3", "3 ports for 2 hosts", "Port")]
    [InlineData("postgresql://u:Sek@r1t@h/d", "'@'", "HostName")]
    [InlineData("mysql://u:Sekr1t@h/d", "'mysql' is not PostgreSQL", "Drivername")]
    [InlineData("host=h user=u password=Sekr1t", "key=value", "Url")]
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
