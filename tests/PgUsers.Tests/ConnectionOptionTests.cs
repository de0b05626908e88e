using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// New-DbEngine refusing URL options it cannot map, end to end (no server needed). The mapping of each
/// option, environment variable and bad value is tested once, in tests/PgUsers.UnitTests/ConnectionStringsTests.cs.
/// </summary>
public sealed class ConnectionOptionTests : IClassFixture<ShellFixture>
{
    private readonly Pwsh _shell;

    public ConnectionOptionTests(ShellFixture fixture) => _shell = fixture.Shell;

    [Theory]
    [InlineData("postgresql://h/d?bogus_option=1", "'bogus_option' has no Npgsql equivalent")]
    [InlineData("postgresql://h/d?sslmode=sometimes", "sslmode' has a value ('sometimes') that is not valid: expected one of disable, allow, prefer, require, verify-ca, verify-full")]
    [InlineData("postgresql://h/d?sslnegotiation=direct", "sslnegotiation=direct needs sslmode=require")]
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
