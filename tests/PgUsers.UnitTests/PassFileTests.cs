namespace PgUsers.UnitTests;

/// <summary>PassFile and PassFileLine: libpq's password file, read and matched by libpq's rules.</summary>
public sealed class PassFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-passfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string? Find(string text, string host, int port, string database, string user) =>
        PassFile.Lookup(PassFile.Parse(new StringReader(text)), host, port, database, user);

    [Theory]
    [InlineData("h:5432:db:u:pw", "pw")]
    [InlineData("*:*:*:*:pw", "pw")]
    [InlineData("h:*:db:*:pw", "pw")]
    [InlineData("h:5432:db:u:p\\:w\\\\x", "p:w\\x")]
    [InlineData("h:5432:db:u:pw:extra field", "pw")]
    [InlineData("h:5432:db:u:pw\\", "pw\\")]
    [InlineData("h:5432:db:u:*", "*")]
    [InlineData("h:5432:db:u:pw\r", "pw")]
    [InlineData("h:5432:db:u:", null)]
    [InlineData("h:5432:db:u", null)]
    [InlineData("h:5432:db", null)]
    [InlineData("#h:5432:db:u:pw", null)]
    [InlineData(" h:5432:db:u:pw", null)]
    [InlineData("H:5432:db:u:pw", null)]
    [InlineData("h:05432:db:u:pw", null)]
    [InlineData("h:5432:db:other:pw", null)]
    [InlineData("h:5432:\\*:u:pw", null)]
    public void One_line_against_host_h_port_5432_database_db_user_u(string line, string? expected) =>
        Assert.Equal(expected, Find(line, "h", 5432, "db", "u"));

    [Fact]
    public void Escapes_match_colons_backslashes_and_a_literal_star()
    {
        Assert.Equal("one", Find("fe80\\:\\:1:5432:d\\\\b:*:one", "fe80::1", 5432, "d\\b", "anyone"));
        Assert.Equal("two", Find("h:5432:\\*:u:two", "h", 5432, "*", "u"));
        Assert.Null(Find("h:5432:d\\:b:u:x", "h", 5432, "d", "u"));
    }

    [Fact]
    public void Malformed_lines_are_skipped_and_the_first_matching_line_wins()
    {
        string text = "# comment\n\nnot a line at all\nh:5432:db\nh:5432:db:u\nh:*:db:u:first\n*:*:*:*:second\n";
        Assert.Equal("first", Find(text, "h", 1, "db", "u"));
        Assert.Equal("second", Find(text, "other", 1, "db", "u"));
        // An empty password on the first match is none: libpq stops there too.
        Assert.Null(Find("h:5432:db:u:\n*:*:*:*:later\n", "h", 5432, "db", "u"));
    }

    [Theory]
    [InlineData("", "localhost")]
    [InlineData("/tmp", "localhost")]
    [InlineData("/var/run/postgresql", "localhost")]
    [InlineData("/run/postgresql", "localhost")]
    [InlineData("/srv/sockets", "/srv/sockets")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void The_default_socket_folder_and_an_empty_host_match_as_localhost(string host, string name)
    {
        Assert.Equal(name, PassFile.HostForMatching(host));
        Assert.Equal("pw", Find($"{name.Replace(":", "\\:")}:5432:db:u:pw", host, 5432, "db", "u"));
    }

    [Fact]
    public void The_file_is_the_given_one_else_the_home_folders_pgpass()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = _folder, ["APPDATA"] = _folder };
        string expected = OperatingSystem.IsWindows() ? Path.Combine(_folder, "postgresql", "pgpass.conf") : Path.Combine(_folder, ".pgpass");
        Assert.Equal(expected, PassFile.DefaultPath(n => env.GetValueOrDefault(n)));
        Assert.Equal(expected, PassFile.Open(null, n => env.GetValueOrDefault(n)).Path);
        Assert.Equal("/given", PassFile.Open("/given", n => env.GetValueOrDefault(n)).Path);
    }

    [Fact]
    public void A_missing_file_is_ignored_without_a_warning()
    {
        var file = PassFile.Open(Path.Combine(_folder, "missing"), _ => null);
        Assert.Null(file.Warning);
        Assert.Equal("does not exist", file.Unread);
        Assert.Null(file.PasswordFor("h", 5432, "db", "u"));
    }

    [Fact]
    public void A_0600_file_is_read_and_one_the_group_or_others_may_access_is_refused_with_libpqs_warning()
    {
        string path = Path.Combine(_folder, "pgpass");
        File.WriteAllText(path, "h:5432:db:u:pw\n");
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var good = PassFile.Open(path, _ => null);
        Assert.Null(good.Warning);
        Assert.Equal("pw", good.PasswordFor("h", 5432, "db", "u"));
        foreach (var extra in new[] { UnixFileMode.GroupRead, UnixFileMode.OtherRead, UnixFileMode.GroupExecute, UnixFileMode.OtherWrite })
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);
            var refused = PassFile.Open(path, _ => null);
            Assert.Equal($"password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less", refused.Warning);
            Assert.Null(refused.PasswordFor("h", 5432, "db", "u"));
        }
    }

    [Fact]
    public void A_folder_or_a_device_is_not_a_plain_file()
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var path in new[] { _folder, "/dev/null" })
        {
            var file = PassFile.Open(path, _ => null);
            Assert.Equal($"password file \"{path}\" is not a plain file", file.Warning);
            Assert.Null(file.PasswordFor("h", 5432, "db", "u"));
        }
    }
}
