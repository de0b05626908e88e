using System.Collections;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>New-DbUrl from parts: SQLAlchemy's URL.create, rendering, copies, and bad values.</summary>
public sealed class UrlTests : IClassFixture<ShellFixture>
{
    private const string Quickstart = "postgresql+psycopg2://notebook:***@postgres:5432/notebook";
    private readonly Pwsh _shell;

    public UrlTests(ShellFixture fixture) => _shell = fixture.Shell;

    private string Text(string script) => (string)_shell.Values(script).Single()!;

    [Fact]
    public void An_empty_password_is_masked_too()
    {
        Assert.Equal("postgresql://u:***@h", Text("(New-DbUrl -Username u -Password '' -HostName h).ToString()"));
        Assert.Equal("postgresql://u:@h", Text("(New-DbUrl -Username u -Password '' -HostName h).RenderAsString($false)"));
        Assert.Equal("postgresql://:***@h", Text("(New-DbUrl -Password pw -HostName h).ToString()"));
    }

    [Fact]
    public void Password_from_SecureString_and_Credential()
    {
        Assert.Equal("postgresql://u:s%40cret@h", Text("(New-DbUrl -Username u -Password (ConvertTo-SecureString 's@cret' -AsPlainText -Force) -HostName h).RenderAsString($false)"));
        Assert.Equal("postgresql://al%20ice:p%3Aw@h", Text("""
            $c = [pscredential]::new('al ice', (ConvertTo-SecureString 'p:w' -AsPlainText -Force))
            (New-DbUrl -Credential $c -HostName h).RenderAsString($false)
            """));
    }

    [Fact]
    public void A_changed_copy_leaves_the_original_alone()
    {
        var values = _shell.Values("""
            $a = New-DbUrl -Url 'postgresql://u:pw@h:5433/db?sslmode=require'
            $b = New-DbUrl -Url $a -Database other
            $c = New-DbUrl -Url $a -Password $null -Query @{ sslmode = $null; application_name = 'x' }
            $d = $a | New-DbUrl -Port 6000 -Drivername postgres
            "$a"; "$b"; "$c"; "$d"; $a.Equals((New-DbUrl -Url 'postgresql://u:pw@h:5433/db?sslmode=require'))
            """);
        Assert.Equal(new object?[]
        {
            "postgresql://u:***@h:5433/db?sslmode=require",
            "postgresql://u:***@h:5433/other?sslmode=require",
            "postgresql://u@h:5433/db?application_name=x",
            "postgresql://u:***@h:6000/db?sslmode=require",
            true,
        }, values);
    }

    [Fact]
    public void HostName_takes_names_lists_IPv6_sockets_and_DbHost_objects()
    {
        Assert.Equal("postgresql://u@/d?host=h1%3A5432&host=h2%3A6000", Text("(New-DbUrl -Username u -Database d -HostName 'h1:5432', h2 -Port 6000).ToString()"));
        Assert.Equal("postgresql://u@/d?host=h1%3A5432&host=h2", Text("(New-DbUrl -Username u -Database d -HostName 'h1:5432,h2').ToString()"));
        Assert.Equal("postgresql://[::1]:5433", Text("(New-DbUrl -HostName '::1' -Port 5433).ToString()"));
        Assert.Equal("postgresql://[::1]:5433", Text("(New-DbUrl -HostName '[::1]:5433').ToString()"));
        Assert.Equal("postgresql://%2Fvar%2Frun%2Fpostgresql/d", Text("(New-DbUrl -HostName /var/run/postgresql -Database d).ToString()"));
        Assert.Equal("postgresql://a%2Cb:5", Text("(New-DbUrl -HostName ([PgUsers.DbHost]::new('a,b', 5))).ToString()"));
        Assert.Equal("postgresql://h", Text("(New-DbUrl -Url 'postgresql://h:5' -Port $null).ToString()"));
        Assert.Equal("postgresql://", Text("(New-DbUrl -Url 'postgresql://h:5' -HostName '').ToString()"));
    }

    [Fact]
    public void Query_merges_by_key_and_an_array_repeats_it()
    {
        var url = _shell.Run("New-DbUrl -Url 'postgresql://h?a=1&b=2' -Query @{ b = 'x', 'y'; c = 3 }").Single();
        var query = (IReadOnlyDictionary<string, object>)url.Prop("Query")!;
        Assert.Equal("1", query["a"]);
        Assert.Equal(new[] { "x", "y" }, ((IEnumerable<string>)query["b"]).ToArray());
        Assert.Equal("3", query["c"]);
        Assert.Equal("postgresql://h?a=1&b=x&b=y&c=3", url.ToString());
        // libpq's reserved keys fold into the fields wherever they come from.
        Assert.Equal("postgresql://bob@h/app", Text("(New-DbUrl -HostName h -Query @{ user = 'bob'; dbname = 'app' }).ToString()"));
    }

    [Theory]
    [InlineData("New-DbUrl -Port 0", "Port", "-Port 0")]
    [InlineData("New-DbUrl -Port 70000", "Port", "1 to 65535")]
    [InlineData("New-DbUrl -Drivername mysql", "Drivername", "'mysql' is not PostgreSQL")]
    [InlineData("New-DbUrl -Drivername ''", "Drivername", "must not be empty")]
    [InlineData("New-DbUrl -Drivername 'postgresql+my driver'", "Drivername", "driver")]
    [InlineData("New-DbUrl -HostName '[::1'", "HostName", "']'")]
    [InlineData("New-DbUrl -HostName 'h:x'", "Port", "port")]
    [InlineData("New-DbUrl -HostName (Get-Date)", "HostName", "DateTime")]
    [InlineData("New-DbUrl -Query @{ '' = 'x' }", "Query", "empty name")]
    [InlineData("New-DbUrl -Query @{ port = 'x' }", "Port", "port")]
    [InlineData("New-DbUrl -Password @{ a = 1 }", "Password", "Hashtable")]
    [InlineData("New-DbUrl -Password \"a`0b\"", "Password", "NUL")]
    [InlineData("New-DbUrl -Username u -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)))", "Credential", "not both")]
    [InlineData("New-DbUrl -Url 42", "Url", "Int32")]
    [InlineData("New-DbUrl -Url $env:PGUSERS_NO_SUCH_VARIABLE", "Url", "$null")]
    [InlineData("New-DbUrl -Url ''", "Url", "postgresql://")]
    public void Bad_parameter_values_get_PgUsers_InvalidUrl(string script, string target, string says)
    {
        var result = _shell.Invoke(script);
        var error = result.Error ?? throw new Xunit.Sdk.XunitException("no error for " + script);
        Assert.Equal("PgUsers.InvalidUrl,PgUsers.Commands.NewDbUrlCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Contains(says, error.Exception.Message);
    }

    [Fact]
    public void The_url_displays_its_parts_in_tables_lists_and_json()
    {
        _shell.Run("$shown = New-DbUrl -Url 'postgresql://u:pw@h1:5432,h2/d?sslmode=require&options=a&options=b'");
        string table = Text("$shown | Format-Table | Out-String -Width 200");
        Assert.Contains("postgresql://u:***@/d?host=h1%3A5432&host=h2&options=a&options=b&sslmode=require", table);
        string list = Text("$shown | Format-List * | Out-String -Width 200");
        foreach (var line in new[] { "Drivername  : postgresql", "Username    : u", "HasPassword : True", "HostName    : h1,h2", "Database    : d" })
        {
            Assert.Contains(line, list);
        }
        var json = System.Text.Json.JsonDocument.Parse(Text("$shown | ConvertTo-Json -Depth 5")).RootElement;
        Assert.Equal("postgresql", json.GetProperty("Drivername").GetString());
        Assert.True(json.GetProperty("HasPassword").GetBoolean());
        Assert.False(json.TryGetProperty("Password", out _));
        Assert.Equal(2, json.GetProperty("Hosts").GetArrayLength());
        Assert.Equal(5432, json.GetProperty("Hosts")[0].GetProperty("Port").GetInt32());
        Assert.Equal("require", json.GetProperty("Query").GetProperty("sslmode").GetString());
        Assert.Equal(2, json.GetProperty("Query").GetProperty("options").GetArrayLength());
    }

    [Fact]
    public void DbUrl_is_immutable_and_has_no_public_password()
    {
        var type = _shell.Values("[PgUsers.DbUrl]").Cast<Type>().Single();
        Assert.All(type.GetProperties(), p => Assert.False(p.CanWrite, p.Name + " is settable"));
        Assert.Null(type.GetProperty("Password"));
        Assert.Empty(_shell.Values("(New-DbUrl -Password x).psobject.Properties.Name -match 'Password' -ne 'HasPassword'"));
        var attempt = _shell.Invoke("""
            $fixed = New-DbUrl -Url 'postgresql://h1,h2?a=1&a=2'
            $fixed.Hosts[0] = [PgUsers.DbHost]::new('evil')
            $fixed.Query['a'][0] = 'evil'
            $fixed.Query['b'] = 'evil'
            "$fixed"
            """);
        Assert.Equal(3, attempt.Errors.Count);
        Assert.Equal("postgresql://?a=1&a=2&host=h1&host=h2", attempt.Output.Single().ToString());
    }

    [Fact]
    public void Round_trip_gives_back_an_equal_url_for_any_characters_in_any_field()
    {
        var random = new Random(20261126);
        var cases = Enumerable.Range(0, 400).Select(_ => RandomCase(random)).ToList();
        var results = _shell.Set("cases", cases).Run("""
            foreach ($c in $cases) {
                $parts = $c.Parts
                $hosts = foreach ($h in $c.Hosts) { [PgUsers.DbHost]::new($h.Name, $h.Port) }
                if ($c.Hosts.Count) { $parts.HostName = $hosts }
                $u = New-DbUrl @parts
                $text = $u.RenderAsString($false)
                $back = New-DbUrl -Url $text
                $masked = New-DbUrl -Url $u.RenderAsString()
                [pscustomobject]@{
                    Equal = $u.Equals($back) -and $back.Equals($u)
                    Text = $text
                    Again = $back.RenderAsString($false)
                    MaskedHasPassword = $masked.HasPassword -eq $u.HasPassword
                }
            }
            """);
        Assert.Equal(cases.Count, results.Count);
        foreach (var r in results)
        {
            Assert.True((bool)r.Prop("Equal")!, "not equal after a round trip: " + r.Prop("Text"));
            Assert.Equal(r.Prop("Text"), r.Prop("Again"));
            Assert.True((bool)r.Prop("MaskedHasPassword")!);
        }
    }

    private static readonly string[] Pieces =
    {
        "@", ":", "/", "%", "?", "#", "[", "]", "&", "=", "+", " ", ",", ";", "'", "\"", "\\", "\t", "*",
        "%41", "%zz", "%", "é", "日本", "😀", "a", "B", "0", "-", ".", "_", "~", "user", "postgresql://", "***",
    };

    private static string? RandomText(Random random, bool allowNull = true)
    {
        if (allowNull && random.Next(5) == 0) return null;
        int length = random.Next(0, 6);
        return string.Concat(Enumerable.Range(0, length).Select(_ => Pieces[random.Next(Pieces.Length)]));
    }

    private static Hashtable RandomCase(Random random)
    {
        var parts = new Hashtable
        {
            ["Drivername"] = random.Next(3) == 0 ? "postgresql+psycopg2" : "postgresql",
            ["Username"] = RandomText(random),
            ["Password"] = RandomText(random),
            ["Database"] = RandomText(random),
        };
        var query = new Hashtable();
        for (int i = random.Next(0, 4); i > 0; i--)
        {
            string key = "k" + RandomText(random, allowNull: false);
            query[key] = random.Next(3) == 0 ? new[] { RandomText(random, false), RandomText(random, false) } : RandomText(random, false);
        }
        parts["Query"] = query;
        var hosts = Enumerable.Range(0, random.Next(0, 4))
            .Select(_ => new Hashtable { ["Name"] = RandomText(random, false), ["Port"] = random.Next(2) == 0 ? null : random.Next(1, 65536) })
            .ToArray();
        return new Hashtable { ["Parts"] = parts, ["Hosts"] = hosts };
    }
}
