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
        var uri = new Uri(Url.Replace("postgresql://", "http://"));
        Shell.Set("roleUrl", $"postgresql://{_role}@{uri.Host}:{uri.Port}/{Database}?application_name={_role}");
        // The block runs in a runspace of its own: values reach it in its text (or environment variables, files…).
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
        string host = new Uri(Url.Replace("postgresql://", "http://")).Host;
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
    public void A_failing_or_empty_provider_and_a_URL_password_besides_are_clear_errors()
    {
        var both = Shell.Invoke("New-DbEngine 'postgresql://u:secret@h/d' -PasswordProvider { 'x' }");
        Assert.Equal("PgUsers.PasswordAndProvider,PgUsers.Commands.NewDbEngineCommand", both.Error?.FullyQualifiedErrorId);
        Assert.DoesNotContain("secret", both.AllText());

        var failing = Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Engine (New-DbEngine $roleUrl -PasswordProvider { throw 'vault unreachable' })");
        Assert.Equal("PgUsers.ConnectionFailed,PgUsers.Commands.InvokeDbQueryCommand", failing.Error?.FullyQualifiedErrorId);
        Assert.Contains("The -PasswordProvider script block failed: vault unreachable", failing.Error!.Exception.Message);

        var empty = Shell.Invoke("Invoke-DbQuery 'SELECT 1' -Engine (New-DbEngine $roleUrl -PasswordProvider { })");
        Assert.Contains("it returned no password", empty.Error!.Exception.Message);
    }

    public override void Dispose()
    {
        base.Dispose();
        Sql($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{_role}'");
        Sql($"DROP ROLE IF EXISTS {_role}");
        Directory.Delete(_folder, recursive: true);
    }
}
