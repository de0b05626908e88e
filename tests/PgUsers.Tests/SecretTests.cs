using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// A distinctive password must appear nowhere a user (or a log) can see: output, display, JSON, every stream,
/// errors, $Error, exceptions. Scripts take it from a variable, as real scripts do: PowerShell itself quotes
/// the script line of an error, so a password typed into the line would show there whatever the module does.
/// </summary>
public sealed class SecretTests : DbTest
{
    // The core is what is searched for: it survives percent-escaping, so the escaped form is caught too.
    private const string Core = "Zq7xSecretCore";
    private const string Password = Core + "@:/%?#'";
    private const string WrongCore = "Zq7xWrongCore";

    private readonly string _role = "secret_role_" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, object?> _parts;

    public SecretTests(ServerFixture server) : base(server)
    {
        var uri = UrlParts;
        Sql($"CREATE ROLE {_role} LOGIN PASSWORD '{Password.Replace("'", "''")}'");
        _parts = new()
        {
            ["role"] = _role, ["pw"] = Password, ["wrong"] = WrongCore + "!", ["h"] = uri.Host, ["p"] = uri.Port, ["db"] = Database,
            ["text"] = $"postgresql://{_role}:{Uri.EscapeDataString(Password)}@{uri.Host}:{uri.Port}/{Database}",
        };
    }

    public override void Dispose()
    {
        base.Dispose();
        Sql($"DROP ROLE IF EXISTS {_role}");
    }

    private PwshResult Run(string script) => Shell.Invoke(script, _parts);

    private static void NoSecret(PwshResult result)
    {
        string all = result.AllText();
        Assert.DoesNotContain(Core, all);
        Assert.DoesNotContain(WrongCore, all);
    }

    [Fact]
    public void Working_with_the_url_and_engine_shows_no_password_anywhere()
    {
        var result = Run("""
            $u = New-DbUrl -Username $role -Password $pw -HostName $h -Port $p -Database $db -Verbose -Debug
            $s = New-DbUrl -Url $text -Verbose -Debug
            $e = New-DbEngine $u -Name secretcheck -Verbose -Debug
            Invoke-DbQuery 'SELECT current_user AS who' -Engine $e -Verbose -Debug
            Invoke-DbQuery 'SELECT 1' -Scalar -Engine (New-DbEngine $text -Verbose) -Verbose -Debug
            "$u"; $u.ToString(); $u.RenderAsString(); "$s"
            $u | Format-List * | Out-String -Width 300
            $u | Format-List | Out-String -Width 300
            $u | Format-Table | Out-String -Width 300
            $u | Format-Table * | Out-String -Width 300
            $u | Out-String -Width 300
            $u | ConvertTo-Json -Depth 5
            $u | Select-Object * | Out-String -Width 300
            $u.psobject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }
            $u.Hosts | Out-String
            $e | Format-List * | Out-String -Width 300
            $e | Format-Table * | Out-String -Width 300
            $e | Out-String -Width 300
            $e | ConvertTo-Json -Depth 5
            "$e"
            Get-DbEngine | Out-String -Width 300
            """);
        Assert.Null(result.Error);
        Assert.Contains(result.Output, o => o?.ToString()?.Contains(":***@") == true);
        Assert.Contains(result.Output, o => o.BaseObject is string s && s.Contains("HasPassword") && s.Contains("True"));
        Assert.NotEmpty(result.Verbose);
        NoSecret(result);
    }

    [Fact]
    public void Failed_connections_and_their_errors_show_no_password()
    {
        var result = Run("""
            $refused = New-DbUrl -Username $role -Password $pw -HostName 127.0.0.1 -Port 1 -Database $db -Query @{ connect_timeout = 3 }
            Invoke-DbQuery 'SELECT 1' -Engine (New-DbEngine $refused) -Verbose -Debug
            $wrongUrl = New-DbUrl -Username $role -Password $wrong -HostName $h -Port $p -Database $db
            Invoke-DbQuery 'SELECT 1' -Engine (New-DbEngine $wrongUrl) -Verbose -Debug
            $Error | Out-String -Width 300
            $Error | ForEach-Object { $_.Exception.ToString(); "$($_.TargetObject)"; $_.ErrorDetails; $_.CategoryInfo.ToString() }
            $Error[0].Exception.ToString()
            $Error | Format-List * -Force | Out-String -Width 300
            """);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.CategoryInfo.Category == ErrorCategory.AuthenticationError || e.FullyQualifiedErrorId.StartsWith("PgUsers.Sql.28"));
        Assert.Contains(result.Errors, e => e.CategoryInfo.Category == ErrorCategory.ConnectionError);
        NoSecret(result);
    }

    [Fact]
    public void Malformed_urls_and_binding_errors_show_no_password()
    {
        var result = Run("""
            $bad = "postgresql://u:$pw@h:99999/d"
            $escape = "postgresql://u:$([uri]::EscapeDataString($pw))%zz@h/d"
            $slash = "postgresql://u:$([uri]::EscapeDataString($pw))/x@h/d"
            $query = "postgresql://u@h/d?password=$([uri]::EscapeDataString($pw))&oops"
            foreach ($t in $bad, $escape, $slash, $query) {
                try { New-DbEngine -Url $t } catch { $_ | Out-String -Width 300; $_.Exception.ToString() }
                try { New-DbUrl -Url $t -ErrorAction Stop } catch { $_ | Out-String -Width 300; $_.Exception.ToString() }
                New-DbUrl -Url $t -ErrorAction SilentlyContinue
                $t | New-DbEngine -ErrorAction SilentlyContinue
            }
            New-DbUrl -Password $pw -Port 0 -ErrorAction SilentlyContinue
            New-DbUrl -Password $pw -Drivername mysql -ErrorAction SilentlyContinue
            New-DbUrl -Password ([pscustomobject]@{ p = $pw }) -ErrorAction SilentlyContinue
            New-DbEngine -Url ([pscustomobject]@{ p = $pw }) -ErrorAction SilentlyContinue
            New-DbEngine -Url "${text}?sslmode=$pw" -ErrorAction SilentlyContinue
            $Error | Out-String -Width 300
            $Error | ForEach-Object { $_.Exception.ToString(); "$($_.TargetObject)"; $_.ErrorDetails; $_.FullyQualifiedErrorId }
            $Error[0].Exception.ToString()
            """);
        Assert.Null(result.Terminating);
        Assert.Contains(result.Output, o => o?.ToString()?.Contains("PgUsers.InvalidUrl") == true);
        NoSecret(result);
    }

    [Fact]
    public void A_url_string_where_an_engine_is_expected_is_used_and_every_refusal_hides_the_password()
    {
        // Item 1 of the fault sweep: -Engine 'postgresql://app:S3cret@host/db' failed binding and quoted the URL.
        // The transcript may hold what leaked: a file only we can read, in a folder only we can enter, deleted after.
        string folder = Directory.CreateTempSubdirectory("pgusers-secret-").FullName;
        string transcript = Path.Combine(folder, "transcript.txt");
        File.WriteAllText(transcript, "");
        File.SetUnixFileMode(transcript, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        PwshResult result;
        try
        {
            result = Run("""
            Start-Transcript -Path $transcript -Append | Out-Null
            Invoke-DbQuery 'SELECT current_user AS who' -Engine $text -Verbose
            $pids = 1..3 | ForEach-Object { Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $text }
            "pools:$(@($pids | Sort-Object -Unique).Count)"
            $s = New-DbSession -Engine $text
            "session:$(Invoke-DbQuery 'SELECT 1' -Scalar -Session $s)"
            $s.Dispose()
            Use-DbSession { "use:$(Invoke-DbQuery 'SELECT 2' -Scalar)" } -Engine $text
            Get-DbUser -Engine $text -ErrorAction SilentlyContinue
            $bad = "postgresql://u:$pw@h:99999/d"
            Invoke-DbQuery 'SELECT 1' -Engine $bad -ErrorAction SilentlyContinue
            Invoke-DbQuery 'SELECT 1' -Session $text -ErrorAction SilentlyContinue
            Invoke-DbQuery 'SELECT 1' -CommandTimeout $text -ErrorAction SilentlyContinue
            Get-DbUser -Session $text -ErrorAction SilentlyContinue
            New-DbEngine $text -PoolSize $text -ErrorAction SilentlyContinue
            New-DbEngine $text -MaxOverflow $text -PoolTimeout $text -PoolRecycle $text -ErrorAction SilentlyContinue
            New-DbUrl -Port $text -ErrorAction SilentlyContinue
            Remove-DbEngine -Engine $text -ErrorAction SilentlyContinue
            Remove-DbEngine -Name $text
            Get-DbEngine -Name $text
            Stop-DbSandbox $text -ErrorAction SilentlyContinue -WhatIf
            Invoke-DbQuery "SELECT length('$text') AS n" -Engine $text -Verbose
            Invoke-DbQuery "SELECT '$text'::int" -Engine $text
            Stop-Transcript | Out-Null
            Get-Content $transcript -Raw
            $Error | Out-String -Width 300
            $Error | ForEach-Object { $_.Exception.ToString(); "$($_.TargetObject)"; $_.ErrorDetails; $_.FullyQualifiedErrorId; $_.InvocationInfo.PositionMessage }
            """.Replace("$transcript", "'" + transcript + "'"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(transcript));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Assert.Null(result.Terminating);
        Assert.Contains(result.Output, o => _role.Equals(o.Properties["who"]?.Value));
        Assert.Contains(result.Output, o => "pools:1".Equals(o.BaseObject));
        Assert.Contains(result.Output, o => "session:1".Equals(o.BaseObject));
        Assert.Contains(result.Output, o => "use:2".Equals(o.BaseObject));
        // Each refusal is an error of its own, not a silent success.
        Assert.True(result.Errors.Count >= 13, string.Join("\n", result.Errors.Select(e => e.FullyQualifiedErrorId)));
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("ParameterArgumentTransformationError,") && e.ToString().Contains("-Session takes a session"));
        Assert.Contains(result.Verbose, v => v.Contains(":***@"));
        string all = result.AllText();
        int at = all.IndexOf(Core, StringComparison.Ordinal);
        Assert.True(at < 0, at < 0 ? "" : all.Substring(Math.Max(0, at - 600), 800));
        NoSecret(result);
    }
}
