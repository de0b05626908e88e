using System.Management.Automation;

namespace PgUsers.UnitTests;

/// <summary>DbUrl and DbHost as values: equality, hashing, immutability, what they show.</summary>
public sealed class UrlValueTests
{
    [Theory]
    [InlineData("postgresql://u:pw@h:5433/db?sslmode=require", "postgres://u:pw@h:5433/db?sslmode=require")]
    [InlineData("postgresql://h/d?b=2&a=1", "postgresql://h/d?a=1&b=2")]
    [InlineData("postgresql://h/", "postgresql://h")]
    [InlineData("postgresql://u@h/d", "postgresql://h/d?user=u")]
    [InlineData("postgresql://h1:5,h2/d", "postgresql:///d?host=h1:5&host=h2")]
    [InlineData("postgresql://%68/d", "postgresql://h/d")]
    public void Urls_that_mean_the_same_are_equal(string a, string b)
    {
        var left = DbUrl.Parse(a);
        var right = DbUrl.Parse(b);
        Assert.True(left.Equals(right));
        Assert.True(left.Equals((object)right));
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Theory]
    [InlineData("postgresql://u:pw@h/d", "postgresql://u:other@h/d")]
    [InlineData("postgresql://u:pw@h/d", "postgresql://u@h/d")]
    [InlineData("postgresql://u@h/d", "postgresql://U@h/d")]
    [InlineData("postgresql://h/d", "postgresql://H/d")]
    [InlineData("postgresql://h:5432/d", "postgresql://h/d")]
    [InlineData("postgresql://h1,h2/d", "postgresql://h2,h1/d")]
    [InlineData("postgresql://h/d?a=1&a=2", "postgresql://h/d?a=2&a=1")]
    [InlineData("postgresql://h/d", "postgresql+psycopg2://h/d")]
    [InlineData("postgresql://h/d", "postgresql://h/D")]
    public void Urls_that_differ_in_any_part_are_not_equal(string a, string b)
    {
        Assert.False(DbUrl.Parse(a).Equals(DbUrl.Parse(b)));
        Assert.False(DbUrl.Parse(a).Equals((object)DbUrl.Parse(b)));
    }

    [Fact]
    public void A_url_is_not_equal_to_null_or_its_text()
    {
        var url = DbUrl.Parse("postgresql://h/d");
        Assert.False(url.Equals(null));
        Assert.False(url.Equals((object)"postgresql://h/d"));
    }

    [Fact]
    public void DbUrl_is_immutable_and_has_no_public_password()
    {
        Assert.All(typeof(DbUrl).GetProperties(), p => Assert.False(p.CanWrite, p.Name + " is settable"));
        Assert.Null(typeof(DbUrl).GetProperty("Password"));
        var url = DbUrl.Parse("postgresql://h1,h2?a=1&a=2");
        Assert.Throws<NotSupportedException>(() => ((IList<DbHost>)url.Hosts)[0] = new DbHost("evil"));
        Assert.Throws<NotSupportedException>(() => ((IList<string>)url.Query["a"])[0] = "evil");
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, object>)url.Query)["b"] = "evil");
        Assert.Equal("postgresql://?a=1&a=2&host=h1&host=h2", url.ToString());
    }

    [Theory]
    [InlineData("h", null, "h")]
    [InlineData("h", 5432, "h:5432")]
    [InlineData("::1", 5433, "[::1]:5433")]
    [InlineData("::1", null, "[::1]")]
    [InlineData("/var/run/postgresql", null, "/var/run/postgresql")]
    [InlineData("", 6000, ":6000")]
    public void A_host_shows_as_name_and_port(string name, int? port, string shown) =>
        Assert.Equal(shown, new DbHost(name, port).ToString());

    [Fact]
    public void Hosts_are_equal_by_name_and_port()
    {
        Assert.Equal(new DbHost("h", 5), new DbHost("h", 5));
        Assert.Equal(new DbHost("h", 5).GetHashCode(), new DbHost("h", 5).GetHashCode());
        Assert.NotEqual(new DbHost("h", 5), new DbHost("h"));
        Assert.NotEqual(new DbHost("h"), new DbHost("H"));
        Assert.False(new DbHost("h").Equals(null));
    }

    [Theory]
    [InlineData("h", 0, "Port")]
    [InlineData("h", 65536, "Port")]
    [InlineData("h", -1, "Port")]
    [InlineData("a\0b", null, "HostName")]
    public void A_bad_host_is_refused(string name, int? port, string part) =>
        Assert.Equal(part, Assert.Throws<DbConfigurationException>(() => new DbHost(name, port)).ParamName);

    [Fact]
    public void A_reserved_query_key_in_the_constructor_folds_into_its_field()
    {
        var url = new DbUrl("postgres", "a", null, [], null, new[]
        {
            KeyValuePair.Create("user", "b"), KeyValuePair.Create("dbname", "d"), KeyValuePair.Create("password", "p"),
            KeyValuePair.Create("host", "h1,h2:7"), KeyValuePair.Create("sslmode", "require"),
        });
        Assert.Equal("postgresql://b:***@/d?host=h1&host=h2%3A7&sslmode=require", url.ToString());
        Assert.Equal("p", url.Password);
        Assert.Equal(new[] { "sslmode" }, url.Query.Keys);
        var e = Assert.Throws<DbConfigurationException>(() => new DbUrl("postgresql", null, null, [], null, new[] { KeyValuePair.Create("", "x") }));
        Assert.Equal("Query", e.ParamName);
        Assert.Equal("Password", Assert.Throws<DbConfigurationException>(() => new DbUrl("postgresql", null, "a\0", [], null, [])).ParamName);
        Assert.Equal("Query", Assert.Throws<DbConfigurationException>(() => new DbUrl("postgresql", null, null, [], null, new[] { KeyValuePair.Create("k", "\ud800") })).ParamName);
    }
}

/// <summary>UrlSecrets: text that may hold a URL with its password, masked before it is echoed.</summary>
public sealed class UrlSecretsTests
{
    [Theory]
    [InlineData("postgresql://u:pw@h/d", "postgresql://u:***@h/d")]
    [InlineData("postgresql://u:p@ss@h/d", "postgresql://u:***@h/d")]
    [InlineData("postgresql://u:p:w/x@h/d", "postgresql://u:***@h/d")]
    [InlineData("postgresql://:pw@h", "postgresql://:***@h")]
    [InlineData("postgresql+psycopg2://u:pw@h", "postgresql+psycopg2://u:***@h")]
    [InlineData("see postgresql://u:pw@h/d and mysql://v:x@k", "see postgresql://u:***@h/d and mysql://v:***@k")]
    [InlineData("postgresql://h/d?password=pw&sslmode=require", "postgresql://h/d?password=***&sslmode=require")]
    [InlineData("postgresql://h/d?a=1&PASSWORD=pw", "postgresql://h/d?a=1&PASSWORD=***")]
    [InlineData("postgresql://u:pw@h/d?password=other", "postgresql://u:***@h/d?password=***")]
    [InlineData("postgresql://u:p w@h/d", "postgresql://u:***@h/d")]
    [InlineData("SELECT 'postgresql://u:my secret@h/d'", "SELECT 'postgresql://u:***@h/d'")]
    [InlineData("postgresql://h/d?password=x y&a=1", "postgresql://h/d?password=***&a=1")]
    [InlineData("postgresql://u@h/d", "postgresql://u@h/d")]
    [InlineData("postgresql://h:5432/d", "postgresql://h:5432/d")]
    [InlineData("u:pw@h/d", "u:pw@h/d")]
    [InlineData("password=pw", "password=***")]
    [InlineData("host=db password=s3cret dbname=app", "host=db password=*** dbname=app")]
    [InlineData("host=db PASSWORD = 's3 cr\\'et' user=u", "host=db PASSWORD = *** user=u")]
    [InlineData("failed (host=db sslpassword=k3y) twice", "failed (host=db sslpassword=*** twice")]
    [InlineData("mypassword=x and password_encryption=scram", "mypassword=x and password_encryption=scram")]
    [InlineData("", "")]
    public void Every_url_password_is_masked(string text, string masked)
    {
        Assert.Equal(masked, UrlSecrets.Mask(text));
        Assert.Equal(masked != text, UrlSecrets.HasPassword(text));
    }

    [Fact]
    public void A_safe_target_masks_only_strings_holding_passwords()
    {
        Assert.Equal("postgresql://u:***@h", UrlSecrets.SafeTarget("postgresql://u:pw@h"));
        Assert.Equal("postgresql://u:***@h", UrlSecrets.SafeTarget(PSObject.AsPSObject("postgresql://u:pw@h")));
        Assert.Equal(42, UrlSecrets.SafeTarget(42));
        Assert.Null(UrlSecrets.SafeTarget(null));
        var plain = PSObject.AsPSObject("just text");
        Assert.Same(plain, UrlSecrets.SafeTarget(plain));
    }
}

/// <summary>pg_service.conf as libpq's parseServiceFile reads it.</summary>
public sealed class ServiceFileTests
{
    private static string? Parse(string text, string service)
    {
        var found = ServiceFile.Parse(new StringReader(text), "test.conf", service);
        return found is null ? null : string.Join(";", found.Select(p => $"{p.Key}={p.Value}"));
    }

    private const string Text = """
        # a comment
        [other]
        host=elsewhere

          [prod]   
        host=db.example.com
           port=6543
        #port=1
        dbname=app
        host=ignored-the-first-wins
        options=-c search_path=a,b
        password= spaced=
        [prod]
        user=second-section-ignored
        """;

    [Theory]
    [InlineData("prod", "host=db.example.com;port=6543;dbname=app;options=-c search_path=a,b;password= spaced=")]
    [InlineData("other", "host=elsewhere")]
    [InlineData("missing", null)]
    [InlineData("pro", null)]
    [InlineData("Prod", null)]
    public void Sections_comments_blanks_and_repeats_read_as_libpq_reads_them(string service, string? settings) =>
        Assert.Equal(settings, Parse(Text, service));

    [Fact]
    public void An_empty_section_sets_nothing()
    {
        Assert.Equal("", Parse("[empty]\n", "empty"));
        Assert.Equal("", Parse("[empty]\n[next]\nhost=h\n", "empty"));
    }

    [Theory]
    [InlineData("[s]\nhost = h\n", "line 2: 'host ' is not a libpq keyword")]
    [InlineData("[s]\nhost=h\njust words\n", "line 3: expected keyword=value")]
    [InlineData("[s]\nservice=other\n", "line 2: a service cannot name another service")]
    [InlineData("[s]\nno_such_keyword=1\n", "line 2: 'no_such_keyword' is not a libpq keyword")]
    public void A_malformed_section_is_an_error_naming_the_file_and_line(string text, string expected)
    {
        var e = Assert.Throws<DbConfigurationException>(() => Parse(text, "s"));
        Assert.Equal("Syntax error in service file \"test.conf\", " + expected + ".", e.Message);
        Assert.Equal("Query", e.ParamName);
        // Malformed lines outside the service asked for are not its business (libpq skips them too).
        Assert.Null(Parse(text, "unrelated"));
    }

    [Fact]
    public void The_user_file_is_searched_before_the_system_one()
    {
        Func<string, string?> Env(params (string Name, string Value)[] set) => name => set.FirstOrDefault(v => v.Name == name).Value;
        Assert.Equal(new[] { "/x/my.conf", "/etc/pgconf/pg_service.conf" },
            ServiceFile.Files(Env(("PGSERVICEFILE", "/x/my.conf"), ("PGSYSCONFDIR", "/etc/pgconf"), ("HOME", "/home/u"))));
        Assert.Equal(new[] { "/home/u/.pg_service.conf", "/etc/postgresql-common/pg_service.conf" },
            ServiceFile.Files(Env(("HOME", "/home/u"))));
        Assert.Equal(new[] { "/home/u/.pg_service.conf", "/etc/postgresql-common/pg_service.conf" },
            ServiceFile.Files(Env(("HOME", "/home/u"), ("PGSERVICEFILE", ""), ("PGSYSCONFDIR", ""))));
    }

    [Fact]
    public void Lookup_takes_the_first_file_that_defines_the_service()
    {
        string folder = Directory.CreateTempSubdirectory("pgusers-unit-service-").FullName;
        try
        {
            string user = Path.Combine(folder, "user.conf");
            File.WriteAllText(user, "[mine]\nhost=userhost\n");
            File.WriteAllText(Path.Combine(folder, "pg_service.conf"), "[mine]\nhost=syshost\n[shared]\nport=6000\n");
            Func<string, string?> env = name => name switch { "PGSERVICEFILE" => user, "PGSYSCONFDIR" => folder, _ => null };
            var (settings, file) = ServiceFile.Lookup("mine", env);
            Assert.Equal(user, file);
            Assert.Equal("userhost", Assert.Single(settings).Value);
            (settings, file) = ServiceFile.Lookup("shared", env);
            Assert.Equal(Path.Combine(folder, "pg_service.conf"), file);
            Assert.Equal("6000", Assert.Single(settings).Value);
            var e = Assert.Throws<DbConfigurationException>(() => ServiceFile.Lookup("nowhere", env));
            Assert.Equal($"The service 'nowhere' is not defined in any service file (searched {user}, {Path.Combine(folder, "pg_service.conf")}).", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
