namespace PgUsers.UnitTests;

/// <summary>DbUrlText: libpq's URI rules for parsing, SQLAlchemy's render_as_string for rendering.</summary>
public sealed class DbUrlTextTests
{
    private static DbUrl Parse(string text) => DbUrlText.Parse(text);

    private static string[] Hosts(DbUrl url) => url.Hosts.Select(h => h.ToString()).ToArray();

    [Fact]
    public void Every_part_is_percent_decoded()
    {
        var url = Parse("postgresql://us%40er%3A1:p%40ss@db.example.com:5433/my%2Fdb%20x?application_name=a%20b%26c&sslmode=require");
        Assert.Equal("postgresql", url.Drivername);
        Assert.Equal("us@er:1", url.Username);
        Assert.Equal("p@ss", url.Password);
        Assert.True(url.HasPassword);
        Assert.Equal("db.example.com", url.HostName);
        Assert.Equal(5433, url.Port);
        Assert.Equal("my/db x", url.Database);
        Assert.Equal("a b&c", url.Query["application_name"]);
        Assert.Equal("require", url.Query["sslmode"]);
        Assert.Equal("postgresql://us%40er%3A1:***@db.example.com:5433/my%2Fdb%20x?application_name=a%20b%26c&sslmode=require", url.ToString());
    }

    [Theory]
    [InlineData("postgres://u@h/d", "postgresql://u@h/d")]
    [InlineData("POSTGRES://u@h/d", "postgresql://u@h/d")]
    [InlineData("postgresql+psycopg2://u@h/d", "postgresql+psycopg2://u@h/d")]
    [InlineData("postgres+asyncpg://h", "postgresql+asyncpg://h")]
    [InlineData("postgresql://", "postgresql://")]
    [InlineData("postgresql://h/", "postgresql://h")]
    [InlineData("postgresql://:5433", "postgresql://:5433")]
    [InlineData("postgresql://h:/d", "postgresql://h/d")]
    [InlineData("postgresql://h/d?", "postgresql://h/d")]
    [InlineData("postgresql://h/d?a=1&", "postgresql://h/d?a=1")]
    [InlineData("postgresql://h/d?b=2&a=1", "postgresql://h/d?a=1&b=2")]
    [InlineData("postgresql://@h/d", "postgresql://h/d")]
    [InlineData("postgresql://u:@h", "postgresql://u:***@h")]
    [InlineData("postgresql://:pw@h", "postgresql://:***@h")]
    [InlineData("postgresql://u@h/d?user=&dbname=", "postgresql://h")]
    public void Schemes_and_empty_parts_normalize(string text, string rendered) =>
        Assert.Equal(rendered, Parse(text).ToString());

    [Fact]
    public void A_bare_scheme_is_all_defaults()
    {
        var url = Parse("postgresql://");
        Assert.Null(url.Username);
        Assert.False(url.HasPassword);
        Assert.Null(url.HostName);
        Assert.Null(url.Port);
        Assert.Empty(url.Hosts);
        Assert.Null(url.Database);
        Assert.Empty(url.Query);
    }

    [Theory]
    [InlineData("postgresql://[::1]/d", "::1", null, "postgresql://[::1]/d")]
    [InlineData("postgresql://[::1]:5433/d", "::1", 5433, "postgresql://[::1]:5433/d")]
    [InlineData("postgresql://u@[2001:db8::7]", "2001:db8::7", null, "postgresql://u@[2001:db8::7]")]
    [InlineData("postgresql://[fe80::1%25eth0]:5432", "fe80::1%eth0", 5432, "postgresql://[fe80::1%25eth0]:5432")]
    [InlineData("postgresql://[::1],h2/d", "::1,h2", null, "postgresql:///d?host=%5B%3A%3A1%5D&host=h2")]
    public void IPv6_hosts_are_written_in_brackets(string text, string hostName, int? port, string rendered)
    {
        var url = Parse(text);
        Assert.Equal(hostName, url.HostName);
        Assert.Equal(port, url.Port);
        Assert.Equal(rendered, url.ToString());
    }

    [Theory]
    [InlineData("postgresql://u@h1:5432,h2:5433,[::1]/d")]
    [InlineData("postgresql://u@/d?host=h1:5432&host=h2:5433&host=[::1]")]
    [InlineData("postgresql://u@/d?host=h1%3A5432,h2:5433&host=%5B::1%5D")]
    public void Multi_host_in_libpq_and_SQLAlchemy_forms(string text)
    {
        var url = Parse(text);
        Assert.Equal(new[] { "h1:5432", "h2:5433", "[::1]" }, Hosts(url));
        Assert.Equal("h1,h2,::1", url.HostName);
        Assert.Null(url.Port);
        // SQLAlchemy's form, as its render_as_string writes it.
        Assert.Equal("postgresql://u@/d?host=h1%3A5432&host=h2%3A5433&host=%5B%3A%3A1%5D", url.ToString());
    }

    [Fact]
    public void Hosts_the_query_form_cannot_carry_stay_in_the_authority()
    {
        var url = new DbUrl("postgresql", null, null, new[] { new DbHost("a,b", 5), new DbHost("c") }, null, []);
        Assert.Equal("postgresql://a%2Cb:5,c", url.ToString());
        Assert.Equal(url, Parse(url.ToString()));
        // The query hosts sort with the other options by key.
        var sorted = new DbUrl("postgresql", null, null, new[] { new DbHost("h1"), new DbHost("h2", 6) }, "d",
            new[] { KeyValuePair.Create("z", "1"), KeyValuePair.Create("a", "2") });
        Assert.Equal("postgresql:///d?a=2&host=h1&host=h2%3A6&z=1", sorted.ToString());
    }

    [Fact]
    public void The_query_fills_the_parts_the_authority_left_out()
    {
        var url = Parse("postgresql:///?user=al%20ice&password=s3cret&dbname=app&port=5433&host=%2Fvar%2Frun%2Fpostgresql&sslmode=disable");
        Assert.Equal("al ice", url.Username);
        Assert.Equal("s3cret", url.Password);
        Assert.Equal("app", url.Database);
        Assert.Equal("/var/run/postgresql", url.HostName);
        Assert.Equal(5433, url.Port);
        Assert.Equal(new[] { "sslmode" }, url.Query.Keys);
        Assert.Equal("/var/run/postgresql", Parse("postgresql://u@/app?host=/var/run/postgresql").HostName);
    }

    [Theory]
    [InlineData("postgresql://a@h1:1/db1?user=b&host=h2&port=2&dbname=db2", "h2:2")]
    [InlineData("postgresql://h1,h2?port=7", "h1:7 h2:7")]
    [InlineData("postgresql://h1,h2?port=7,", "h1:7 h2")]
    // A query host takes the authority's port, as psql does: the usual way to give a socket folder a port.
    [InlineData("postgresql://u@:5433/d?host=/var/run/postgresql", "/var/run/postgresql:5433")]
    [InlineData("postgres://u:p@[::1]:5433/d?host=x", "x:5433")]
    [InlineData("postgresql://h1:1,h2:2?host=a,b", "a:1 b:2")]
    [InlineData("postgresql://h:2?host=a:9&host=b", "a:9 b:2")]
    [InlineData("postgresql://h?host=a&port=3", "a:3")]
    public void The_query_wins_over_the_authority_as_in_libpq(string text, string hosts) =>
        Assert.Equal(hosts.Split(' '), Hosts(Parse(text)));

    [Fact]
    public void The_query_user_and_database_win_too()
    {
        Assert.Equal("postgresql://b@h2:2/db2", Parse("postgresql://a@h1:1/db1?user=b&host=h2&port=2&dbname=db2").ToString());
        Assert.Equal("postgresql://a:***@h", Parse("postgresql://a:x@h?password=y").ToString());
        Assert.Equal("y", Parse("postgresql://a:x@h?password=y").Password);
    }

    [Fact]
    public void A_repeated_key_keeps_all_its_values_in_order()
    {
        var url = Parse("postgresql://h/d?options=-c%20a%3D1&options=-c%20b%3D2&sslmode=require");
        Assert.Equal(new[] { "-c a=1", "-c b=2" }, ((IEnumerable<string>)url.Query["options"]).ToArray());
        Assert.Equal("postgresql://h/d?options=-c%20a%3D1&options=-c%20b%3D2&sslmode=require", url.ToString());
    }

    [Fact]
    public void Like_libpq_the_user_info_ends_at_the_first_at_sign_before_a_slash()
    {
        // An unescaped '?' in a password still works, as it does for psql.
        var url = Parse("postgresql://u:pa?ss@h/d");
        Assert.Equal("u", url.Username);
        Assert.Equal("pa?ss", url.Password);
        Assert.Equal("h", url.HostName);
        Assert.Equal("postgresql://u:pa%3Fss@h/d", url.RenderAsString(hidePassword: false));
        // A '/' before any '@': no user info at all, and the '@' is left in the database name.
        Assert.Equal("x@y", Parse("postgresql://h/x@y").Database);
    }

    [Theory]
    [InlineData("postgresql://u:Sekr1t%zz@h/d", "password", "Password")]
    [InlineData("postgresql://u:Sekr1t%4@h/d", "password", "Password")]
    [InlineData("postgresql://u:Sekr1t%00x@h/d", "%00", "Password")]
    [InlineData("postgresql://u%zz:Sekr1t@h/d", "user name", "Username")]
    [InlineData("postgresql://u:Sekr1t@h/d%zz", "database", "Database")]
    [InlineData("postgresql://u:Sekr1t@h%4/d", "host", "HostName")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=%zz", "query option 'a'", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?password=Sekr1t%zz", "password", "Password")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=%ff", "UTF-8", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=%C3", "UTF-8", "Query")]
    [InlineData("postgresql://u:Sekr1t@[::1/d", "']'", "HostName")]
    [InlineData("postgresql://u:Sekr1t@[]/d", "empty", "HostName")]
    [InlineData("postgresql://u:Sekr1t@[::1]x/d", "']'", "HostName")]
    [InlineData("postgresql://u:Sekr1t@h/d?Sekr1t", "no '='", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=1&&b=2", "no '='", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=b=Sekr1t", "second '='", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?=Sekr1t", "empty name", "Query")]
    [InlineData("postgresql://u:Sekr1t@h/d?a=x%00", "%00", "Query")]
    [InlineData("postgresql://u:Sekr1t@h:port/d", "port", "Port")]
    [InlineData("postgresql://u:Sekr1t@h:99999/d", "port", "Port")]
    [InlineData("postgresql://u:Sekr1t@h:0/d", "port", "Port")]
    [InlineData("postgresql://u:Sekr1t@h:+5/d", "port", "Port")]
    [InlineData("postgresql://u:Sekr1t@h/d?port=x", "port", "Port")]
    [InlineData("postgresql://h1,h2/d?port=1,2,3", "3 ports for 2 hosts", "Port")]
    [InlineData("postgresql://u:Sekr1t/x@h/d", "port", "Port")]
    [InlineData("postgresql://u:Sek@r1t@h/d", "'@'", "HostName")]
    [InlineData("mysql://u:Sekr1t@h/d", "'mysql' is not PostgreSQL", "Drivername")]
    [InlineData("postgresql+://u:Sekr1t@h/d", "driver", "Drivername")]
    [InlineData("postgresql+my-driver://u:Sekr1t@h/d", "driver", "Drivername")]
    [InlineData("post gres://u:Sekr1t@h/d", "must start with postgresql://", "Drivername")]
    [InlineData("host=h user=u password=Sekr1t", "key=value", "Url")]
    [InlineData("u:Sekr1t@h/d", "postgresql://", "Url")]
    [InlineData("://u:Sekr1t@h/d", "postgresql://", "Url")]
    public void Malformed_urls_say_which_part_is_wrong_and_never_echo_the_password(string text, string says, string part)
    {
        var e = Assert.Throws<DbConfigurationException>(() => Parse(text));
        Assert.Contains(says, e.Message);
        Assert.Equal(part, e.ParamName);
        Assert.DoesNotContain("Sekr1t", e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
    }

    [Theory]
    [InlineData("postgresql://u:pw@h/d", false, "postgresql://u:pw@h/d")]
    [InlineData("postgresql://u:pw@h/d", true, "postgresql://u:***@h/d")]
    [InlineData("postgresql://h/d?sslpassword=key%20pw&sslmode=require", true, "postgresql://h/d?sslmode=require&sslpassword=***")]
    [InlineData("postgresql://h/d?sslpassword=key%20pw", false, "postgresql://h/d?sslpassword=key%20pw")]
    [InlineData("postgresql://u%201:p%2Fw%3A%40%25@h/d%20b", false, "postgresql://u%201:p%2Fw%3A%40%25@h/d%20b")]
    [InlineData("postgresql://h/d?k=%C3%A9%F0%9F%98%80~-._*+", false, "postgresql://h/d?k=%C3%A9%F0%9F%98%80~-._%2A%2B")]
    [InlineData("postgresql://%2Fvar%2Frun%2Fpostgresql/d", false, "postgresql://%2Fvar%2Frun%2Fpostgresql/d")]
    public void Rendering_escapes_everything_but_unreserved_characters_and_masks_secrets(string text, bool hide, string rendered) =>
        Assert.Equal(rendered, Parse(text).RenderAsString(hide));

    [Fact]
    public void The_query_dictionary_masks_sslpassword()
    {
        var url = Parse("postgresql://h/d?sslpassword=key&sslpassword=other&a=1");
        Assert.Equal(new[] { "***", "***" }, (IEnumerable<string>)url.Query["sslpassword"]);
        Assert.Equal("1", url.Query["a"]);
        Assert.Equal("postgresql://h/d?a=1&sslpassword=key&sslpassword=other", url.RenderAsString(false));
    }

    [Theory]
    [InlineData("h1:5432,h2,[::1]:5433", "h1:5432 h2 [::1]:5433")]
    [InlineData("::1", "[::1]")]
    [InlineData("2001:db8::7", "[2001:db8::7]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("/var/run/postgresql", "/var/run/postgresql")]
    [InlineData("h%20x", "h%20x")]
    [InlineData("h:", "h")]
    [InlineData(",h", " h")]
    [InlineData("[a,b]:5", "a,b:5")]
    public void A_host_list_is_taken_literally(string text, string hosts) =>
        Assert.Equal(hosts.Split(' '), UrlFields.ParseHostList(text).Select(h => h.ToString()).ToArray());

    [Theory]
    [InlineData("[::1", "']'", "HostName")]
    [InlineData("[]", "empty", "HostName")]
    [InlineData("[::1]x", "']'", "HostName")]
    [InlineData("h:x", "port", "Port")]
    [InlineData("h:70000", "port", "Port")]
    public void A_bad_host_list_is_refused(string text, string says, string part)
    {
        var e = Assert.Throws<DbConfigurationException>(() => UrlFields.ParseHostList(text).ToList());
        Assert.Contains(says, e.Message);
        Assert.Equal(part, e.ParamName);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("1", 1)]
    [InlineData("5432", 5432)]
    [InlineData("65535", 65535)]
    [InlineData("00080", 80)]
    public void A_port_is_1_to_65535_in_ASCII_digits(string text, int? port) =>
        Assert.Equal(port, UrlFields.ParsePort(text));

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("123456")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("٣")]
    [InlineData("port")]
    public void A_bad_port_is_refused_without_quoting_it(string text)
    {
        var e = Assert.Throws<DbConfigurationException>(() => UrlFields.ParsePort(text));
        Assert.Equal("Port", e.ParamName);
        Assert.Equal("The URL's port is not a number from 1 to 65535.", e.Message);
        Assert.Contains("percent-escaped", Assert.Throws<DbConfigurationException>(() => UrlFields.ParsePort(text, hint: true)).Message);
    }

    [Fact]
    public void Ports_pair_with_hosts_one_for_all_or_one_each()
    {
        var hosts = new[] { new DbHost("a"), new DbHost("b", 9) };
        Assert.Equal(new[] { "a:1", "b:1" }, UrlFields.WithPorts(hosts, new int?[] { 1 }, keepOwn: false).Select(h => h.ToString()));
        Assert.Equal(new[] { "a:1", "b:9" }, UrlFields.WithPorts(hosts, new int?[] { 1 }, keepOwn: true).Select(h => h.ToString()));
        Assert.Equal(new[] { "a:1", "b" }, UrlFields.WithPorts(hosts, new int?[] { 1, null }, keepOwn: false).Select(h => h.ToString()));
        Assert.Equal(new[] { ":7" }, UrlFields.WithPorts([], new int?[] { 7 }, keepOwn: false).Select(h => h.ToString()));
        Assert.Equal(new int?[] { 5432, null, 5433 }, UrlFields.ParsePortList("5432,,5433"));
        var e = Assert.Throws<DbConfigurationException>(() => UrlFields.WithPorts(hosts, new int?[] { 1, 2, 3 }, keepOwn: false));
        Assert.Equal("The URL has 3 ports for 2 hosts: give one port, or one per host.", e.Message);
    }

    [Theory]
    [InlineData("postgresql", "postgresql")]
    [InlineData("postgres", "postgresql")]
    [InlineData("PostgreSQL", "postgresql")]
    [InlineData("postgresql+psycopg2", "postgresql+psycopg2")]
    [InlineData("postgres+asyncpg", "postgresql+asyncpg")]
    [InlineData("postgresql+pg_8000", "postgresql+pg_8000")]
    public void Drivernames_normalize(string given, string normal) =>
        Assert.Equal(normal, UrlFields.NormalizeDrivername(given));

    [Theory]
    [InlineData("mysql", "Drivername 'mysql' is not PostgreSQL")]
    [InlineData("my sql", "Drivername is not PostgreSQL")]
    [InlineData("postgresql+", "driver after 'postgresql+'")]
    [InlineData("postgresql+a.b", "driver after 'postgresql+'")]
    [InlineData("postgresql+my driver", "driver after 'postgresql+'")]
    public void Other_drivernames_are_refused(string given, string says)
    {
        var e = Assert.Throws<DbConfigurationException>(() => UrlFields.NormalizeDrivername(given));
        Assert.Contains(says, e.Message);
        Assert.Equal("Drivername", e.ParamName);
    }

    [Fact]
    public void Text_a_URL_cannot_carry_is_refused()
    {
        // Not [InlineData]: a lone surrogate would not survive the test case's serialization.
        foreach (var (value, says) in new[] { ("a\0b", "NUL"), ("a\ud800", "lone surrogate"), ("\udc00a", "lone surrogate"), ("\ud800\ud800\udc00", "lone surrogate") })
        {
            var e = Assert.Throws<DbConfigurationException>(() => UrlFields.CheckText(value, "Password"));
            Assert.Contains(says, e.Message);
            Assert.Equal("Password", e.ParamName);
        }
        UrlFields.CheckText("a😀é", "Password");
        UrlFields.CheckText(null, "Password");
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("%41%62", "Ab")]
    [InlineData("%c3%a9", "é")]
    [InlineData("%F0%9F%98%80!", "😀!")]
    [InlineData("a+b", "a+b")]
    [InlineData("日本%20語", "日本 語")]
    public void Decoding_turns_percent_escapes_into_UTF8_text(string text, string decoded) =>
        Assert.Equal(decoded, DbUrlText.Decode(text, "database"));

    [Fact]
    public void Any_text_in_any_field_round_trips_through_rendering()
    {
        var random = new Random(20261126);
        for (int n = 0; n < 2000; n++)
        {
            var hosts = Enumerable.Range(0, random.Next(0, 4))
                .Select(_ => new DbHost(RandomText(random, allowNull: false)!, random.Next(2) == 0 ? null : random.Next(1, 65536)))
                .ToArray();
            var query = Enumerable.Range(0, random.Next(0, 4))
                .SelectMany(_ =>
                {
                    string key = "k" + RandomText(random, allowNull: false);
                    return Enumerable.Range(0, random.Next(1, 3)).Select(_ => KeyValuePair.Create(key, RandomText(random, allowNull: false)!));
                })
                .ToArray();
            var url = new DbUrl(random.Next(3) == 0 ? "postgresql+psycopg2" : "postgresql",
                RandomText(random), RandomText(random), hosts, RandomText(random), query);
            string text = url.RenderAsString(hidePassword: false);
            var back = DbUrlText.Parse(text);
            Assert.True(url.Equals(back) && back.Equals(url), "not equal after a round trip: " + text);
            Assert.Equal(url.GetHashCode(), back.GetHashCode());
            Assert.Equal(text, back.RenderAsString(hidePassword: false));
            Assert.Equal(url.HasPassword, DbUrlText.Parse(url.ToString()).HasPassword);
        }
    }

    private static readonly string[] Pieces =
    {
        "@", ":", "/", "%", "?", "#", "[", "]", "&", "=", "+", " ", ",", ";", "'", "\"", "\\", "\t", "*",
        "%41", "%zz", "é", "日本", "😀", "a", "B", "0", "-", ".", "_", "~", "user", "postgresql://", "***",
    };

    private static string? RandomText(Random random, bool allowNull = true)
    {
        if (allowNull && random.Next(5) == 0) return null;
        return string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => Pieces[random.Next(Pieces.Length)]));
    }
}
