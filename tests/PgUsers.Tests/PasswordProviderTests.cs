using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>New-DbEngine -PasswordProvider: a fresh password (a token) per physical connection, never shown anywhere.</summary>
public sealed class PasswordProviderTests : DbTest
{
    private const string FirstToken = "tok-A-7f3e91c2";
    private const string SecondToken = "tok-B-55d0a8e4";
    private readonly string _role = "tok_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-token-").FullName;
    private readonly string _tokenFile;
    private readonly string _callsFile;

    public PasswordProviderTests(ServerFixture server) : base(server)
    {
        _tokenFile = Path.Combine(_folder, "token");
        _callsFile = Path.Combine(_folder, "calls");
        File.WriteAllText(_tokenFile, FirstToken);
        Sql($"CREATE ROLE {_role} LOGIN PASSWORD '{FirstToken}'");
        var uri = UrlParts;
        Shell.Set("roleUrl", $"postgresql://{_role}@{uri.Host}:{uri.Port}/{Database}?application_name={_role}");
        // Made from text: an unbound block, run in the session state of whichever runspace needs a connection.
        Shell.Set("blockText", $$"""
            param($HostName, $Username)
            Add-Content -LiteralPath '{{_callsFile}}' -Value "$HostName|$Username"
            (Get-Content -LiteralPath '{{_tokenFile}}' -Raw).Trim()
            """);
        Shell.Run("$block = [scriptblock]::Create($blockText)");
    }

    private string[] Calls => File.Exists(_callsFile) ? File.ReadAllLines(_callsFile) : Array.Empty<string>();

    /// <summary>Only checked when the server asks this role for a password at all (a trust rule would let any token in).</summary>
    private bool ServerChecksPasswords => Convert.ToInt64(SqlScalar("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust' AND type LIKE 'host%'")) == 0;

    [Fact]
    public void Called_once_per_new_physical_connection_and_a_rotated_password_is_picked_up()
    {
        Shell.Run("$e = New-DbEngine $roleUrl -PoolSize 2 -MaxOverflow 1 -PasswordProvider $block -Name tokens");
        Assert.Empty(Calls);
        Assert.Equal(new object?[] { _role, _role, _role }, Shell.Values("1..3 | ForEach-Object { Invoke-DbQuery 'SELECT current_user' -Scalar -Engine $e }"));
        string host = UrlParts.Host;
        Assert.Equal(new[] { $"{host}|{_role}" }, Calls);

        // A second connection held at once: the pool grows by one, and so do the calls.
        Shell.Run("$s1 = New-DbSession -Engine $e; $s2 = New-DbSession -Engine $e");
        Assert.Equal(2, Calls.Length);
        Assert.Equal(2, Shell.Values("$e.Size").Single());

        // The password rotates on the server; the provider still gives the old one: refused, and not shown.
        Sql($"ALTER ROLE {_role} PASSWORD '{SecondToken}'");
        var refused = Shell.Invoke("$s3 = New-DbSession -Engine $e");
        if (ServerChecksPasswords)
        {
            Assert.NotNull(refused.Error);
            // Npgsql may try a refused connection more than once (with and without encryption, say).
            Assert.True(Calls.Length >= 3);
        }
        int before = Calls.Length;
        Assert.DoesNotContain(FirstToken, refused.AllText());

        // The provider now gives the new one: the next new connection uses it; the open ones carry on.
        File.WriteAllText(_tokenFile, SecondToken);
        var result = Shell.Invoke("""
            $s3 = New-DbSession -Engine $e
            Invoke-DbQuery 'SELECT current_user' -Scalar -Session $s3
            Invoke-DbQuery 'SELECT 1' -Scalar -Session $s1
            $e; "$e"; $e | Format-List * | Out-String
            $s1, $s2, $s3 | ForEach-Object Dispose
            """);
        Assert.Null(result.Error);
        Assert.Equal(_role, result.Output[0].BaseObject);
        Assert.Equal(before + 1, Calls.Length);
        Assert.Equal(3, Convert.ToInt32(SqlScalar($"SELECT count(*) FROM pg_stat_activity WHERE usename = '{_role}'")));
        string seen = result.AllText();
        Assert.DoesNotContain(FirstToken, seen);
        Assert.DoesNotContain(SecondToken, seen);
    }

    [Fact]
    public void Another_runspace_sharing_the_engine_opens_connections_through_it_safely()
    {
        var engine = Shell.Run("New-DbEngine $roleUrl -PasswordProvider $block").Single();
        using var other = Background.Start("1..3 | ForEach-Object { Invoke-DbQuery 'SELECT current_user' -Scalar -Engine $e }", ("e", engine));
        var result = other.Wait();
        Assert.Null(result.Terminating);
        Assert.Equal(new object?[] { _role, _role, _role }, result.Output.Select(o => o.BaseObject));
        Assert.Single(Calls);
    }

    [Fact]
    public void A_closure_sees_what_it_captured_and_counts_each_new_physical_connection()
    {
        Shell.Set("token", FirstToken).Run("""
            $count = @{ n = 0 }
            $provider = { param($HostName, $Username) $count.n++; $token }.GetNewClosure()
            Remove-Variable token    # only the closure holds it now
            $e = New-DbEngine $roleUrl -PoolSize 4 -MaxOverflow 0 -PasswordProvider $provider
            """);
        // Three connections at once: three physical connections, three calls; then five reuses: no more.
        var values = Shell.Values("""
            $sessions = 1..3 | ForEach-Object { New-DbSession -Engine $e }
            $sessions | ForEach-Object { Invoke-DbQuery 'SELECT current_user' -Scalar -Session $_ }
            $sessions | ForEach-Object Dispose
            1..5 | ForEach-Object { Invoke-DbQuery 'SELECT 1' -Scalar -Engine $e } | Out-Null
            $count.n
            """);
        Assert.Equal(new object?[] { _role, _role, _role, 3 }, values);
        Assert.Equal(3, Convert.ToInt32(SqlScalar($"SELECT count(*) FROM pg_stat_activity WHERE usename = '{_role}'")));

        // Another runspace sharing the engine: four at once there is one more physical connection, one more call of the same closure.
        var engine = Shell.Values("$e").Single();
        using (var other = Background.Start("""
            $held = 1..4 | ForEach-Object { New-DbSession -Engine $e }
            $held | ForEach-Object { Invoke-DbQuery 'SELECT 1' -Scalar -Session $_ } | Out-Null
            $held | ForEach-Object Dispose
            """, ("e", engine)))
        {
            var result = other.Wait();
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
        }
        Assert.Equal(4, Shell.Values("$count.n").Single());
        Assert.Equal(4, Convert.ToInt32(SqlScalar($"SELECT count(*) FROM pg_stat_activity WHERE usename = '{_role}'")));
    }

    [Fact]
    public void A_plain_block_sees_the_script_scope_of_the_runspace_that_made_the_engine_from_any_runspace()
    {
        Shell.Set("token", FirstToken);
        var engine = Shell.Run("New-DbEngine $roleUrl -PasswordProvider { $token }").Single();
        // The other runspace has no $token: the block still reads the one where it was written.
        using var other = Background.Start("1..2 | ForEach-Object { New-DbSession -Engine $e } | ForEach-Object { Invoke-DbQuery 'SELECT current_user' -Scalar -Session $_; $_.Dispose() }", ("e", engine));
        var result = other.Wait();
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(new object?[] { _role, _role }, result.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [InlineData("{ throw 'vault unreachable' }", "vault unreachable")]
    [InlineData("{ Write-Error 'vault says no'; 'tok-A-7f3e91c2' }", "vault says no")]
    [InlineData("{ $null }", "it returned no password")]
    [InlineData("{ }", "it returned no password")]
    public void A_block_that_throws_writes_an_error_or_returns_nothing_fails_the_connect_with_its_own_message(string block, string message)
    {
        var result = Shell.Invoke($"Invoke-DbQuery 'SELECT 1' -Engine (New-DbEngine $roleUrl -PasswordProvider {block})");
        Assert.Equal("PgUsers.PasswordProviderFailed,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, result.Error!.CategoryInfo.Category);
        Assert.Contains("The -PasswordProvider script block failed: " + message, result.Error.Exception.Message);
        Assert.DoesNotContain(FirstToken, result.AllText());
        // Nothing connected with an empty or stale password.
        Assert.Equal(0, Convert.ToInt32(SqlScalar($"SELECT count(*) FROM pg_stat_activity WHERE usename = '{_role}'")));
    }

    [Fact]
    public void A_URL_password_and_a_provider_besides_is_a_clear_error()
    {
        var both = Shell.Invoke("New-DbEngine 'postgresql://u:secret@h/d' -PasswordProvider { 'x' }");
        Assert.Equal("PgUsers.PasswordAndProvider,PgUsers.Commands.NewDbEngineCommand", both.Error?.FullyQualifiedErrorId);
        Assert.DoesNotContain("secret", both.AllText());
    }

    public override void Dispose()
    {
        base.Dispose();
        Sql($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{_role}'");
        Sql($"DROP ROLE IF EXISTS {_role}");
        Directory.Delete(_folder, recursive: true);
    }
}
