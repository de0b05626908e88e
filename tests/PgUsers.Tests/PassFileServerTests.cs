using System.Management.Automation;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// The password file through the cmdlets, against a server that asks for a password: used when 0600, refused with
/// libpq's warning otherwise, malformed lines skipped, a missing file ignored, each host of a multi-host URL matched
/// apart. How lines are read and matched is tested once, in tests/PgUsers.UnitTests/PassFileTests.cs.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PassFileServerTests : DbTest
{
    // Colons, backslashes and a star: the file escapes the first two; a star in a password is literal.
    private const string Password = "Zq7xPassfile:p\\w*d";
    private const string Core = "Zq7xPassfile";

    private readonly string _role = "passfile_role_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-passfile-").FullName;
    private readonly string _host;
    private readonly int _port;
    private readonly EnvironmentScope _env;

    public PassFileServerTests(ServerFixture server) : base(server)
    {
        var uri = UrlParts;
        _host = uri.Host;
        _port = uri.Port;
        Sql($"CREATE ROLE {_role} LOGIN PASSWORD '{Password}'");
        // The home folder is ours: ~/.pgpass is the file we write. No password comes from elsewhere.
        _env = new EnvironmentScope(("HOME", _folder), ("PGPASSFILE", null), ("PGPASSWORD", null), ("PGSERVICE", null), ("PGUSER", null));
    }

    public override void Dispose()
    {
        _env.Dispose();
        base.Dispose();
        Sql($"DROP ROLE IF EXISTS {_role}");
        Directory.Delete(_folder, recursive: true);
    }

    private static string Escaped(string text) => text.Replace("\\", "\\\\").Replace(":", "\\:");

    private string Line(string host = "*", string? port = null) => $"{host}:{port ?? _port.ToString()}:{Database}:{_role}:{Escaped(Password)}\n";

    /// <summary>Writes a password file 0600 first, so the password is never readable by others, then gives it <paramref name="mode"/>.</summary>
    private string WriteFile(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.AppendAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private PwshResult Connect(string script, string? url = null) => Shell.Invoke(script, new Dictionary<string, object?>
    {
        ["u"] = url ?? $"postgresql://{_role}@{_host}:{_port}/{Database}", ["role"] = _role,
    });

    private static void NoPassword(PwshResult result) => Assert.DoesNotContain(Core, result.AllText());

    [Fact]
    public void A_0600_pgpass_in_the_home_folder_gives_the_password()
    {
        WriteFile(".pgpass", Line(_host));
        var result = Connect("Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u)");
        Assert.Null(result.Error);
        Assert.Empty(result.Warnings);
        Assert.Equal(_role, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void A_pgpass_the_group_or_others_may_read_is_refused_with_libpqs_warning_once_and_the_connect_fails_as_without_a_password()
    {
        string path = WriteFile(".pgpass", Line(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = Connect("""
            $e = New-DbEngine $u
            Invoke-DbQuery 'SELECT 1' -Engine $e
            Invoke-DbQuery 'SELECT 1' -Engine $e
            # A URL given as -Engine makes its engine on first use: its first command warns, the next does not.
            Invoke-DbQuery 'SELECT 1' -Engine $u
            Invoke-DbQuery 'SELECT 1' -Engine $u
            """);
        string warning = $"password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less";
        Assert.Equal(new[] { warning, warning }, result.Warnings);
        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("PgUsers.ConnectionFailed,PgUsers.Commands.InvokeDbQueryCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
            Assert.Contains("the server asks for a password and none was given", e.Exception.Message);
            Assert.Contains($"the password file \"{path}\" was not read: {warning}", e.Exception.Message);
        });
        NoPassword(result);
    }

    [Fact]
    public void Malformed_lines_are_skipped_and_a_later_line_with_escapes_and_stars_is_used()
    {
        string path = WriteFile("passfile", "# comment\nnot a line\n" + _host + ":" + _port + "\n" + $"{_host}:{_port}:{Database}:other_role:nope\n"
            + $"\\*:*:{Database}:{_role}:wrong\n" + $"*:*:{Database}:{_role}:{Escaped(Password)}\n");
        using var env = new EnvironmentScope(("PGPASSFILE", path));
        var result = Connect("Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u)");
        Assert.Null(result.Error);
        Assert.Equal(_role, Assert.Single(result.Output).BaseObject);

        // The URL's passfile option wins over PGPASSFILE.
        string other = WriteFile("other", "*:*:*:*:wrong\n");
        var viaUrl = Connect("Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u)",
            $"postgresql://{_role}@{_host}:{_port}/{Database}?passfile={Uri.EscapeDataString(path)}");
        Assert.Null(viaUrl.Error);
        using var wrong = new EnvironmentScope(("PGPASSFILE", other));
        var wrongFile = Connect("Invoke-DbQuery 'SELECT 1' -Engine (New-DbEngine $u)");
        Assert.Equal("PgUsers.Sql.28P01,PgUsers.Commands.InvokeDbQueryCommand", wrongFile.Error?.FullyQualifiedErrorId);
        Assert.Equal($"The password came from the password file \"{other}\".", wrongFile.Error!.ErrorDetails?.RecommendedAction);
        NoPassword(wrongFile);
    }

    [Fact]
    public void A_missing_PGPASSFILE_is_ignored()
    {
        string missing = Path.Combine(_folder, "no-such-file");
        using var env = new EnvironmentScope(("PGPASSFILE", missing));
        // Npgsql refused a -PasswordProvider beside a passfile, and read the missing file when no password was given.
        var withProvider = Shell.Invoke("Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u -PasswordProvider { $pw })",
            new Dictionary<string, object?> { ["u"] = $"postgresql://{_role}@{_host}:{_port}/{Database}", ["pw"] = Password });
        Assert.Null(withProvider.Error);
        Assert.Equal(_role, Assert.Single(withProvider.Output).BaseObject);

        var without = Connect("Invoke-DbQuery 'SELECT 1' -Engine (New-DbEngine $u)");
        Assert.Empty(without.Warnings);
        Assert.Equal("PgUsers.ConnectionFailed,PgUsers.Commands.InvokeDbQueryCommand", without.Error?.FullyQualifiedErrorId);
        Assert.Contains($"the password file \"{missing}\" does not exist", without.Error!.Exception.Message);
        NoPassword(withProvider);
    }

    [Fact]
    public void Each_host_of_a_multi_host_url_is_matched_apart()
    {
        // localhost:1 refuses the connection; 127.0.0.1 is the server. Matched by the first host, the wrong password would be sent.
        WriteFile(".pgpass", $"localhost:*:*:*:wrong\n127.0.0.1:{_port}:{Database}:{_role}:{Escaped(Password)}\n");
        var result = Connect("Invoke-DbQuery 'SELECT current_user' -Scalar -Engine (New-DbEngine $u)",
            $"postgresql://{_role}@localhost:1,127.0.0.1:{_port}/{Database}");
        Assert.Null(result.Error);
        Assert.Equal(_role, Assert.Single(result.Output).BaseObject);
    }
}
