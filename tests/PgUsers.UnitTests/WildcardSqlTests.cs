using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PgUsers.UnitTests;

/// <summary>PowerShell wildcards (as -like reads them) as anchored PostgreSQL regular expressions.</summary>
public sealed class WildcardSqlTests
{
    [Theory]
    [InlineData("john", "^john$")]
    [InlineData("", "^$")]
    [InlineData("john*", "^john.*$")]
    [InlineData("*", "^.*$")]
    [InlineData("j?hn", "^j.hn$")]
    [InlineData("[jb]*", "^[jb].*$")]
    [InlineData("[a-c]x", "^[a-c]x$")]
    [InlineData("[a-cx-z]", "^[a-cx-z]$")]
    [InlineData("[a-]", @"^[a\-]$")]
    [InlineData("[`]`[]", @"^[\]\[]$")]
    [InlineData("[`a-`z]", "^[a-z]$")]
    [InlineData(@"[\^]", @"^[\\\^]$")]
    [InlineData("[*?.]", "^[*?.]$")]
    [InlineData("a`*b`?", @"^a\*b\?$")]
    [InlineData("``", "^`$")]
    [InlineData("`a", "^a$")]
    [InlineData("1.5 (x)", @"^1\.5 \(x\)$")]
    [InlineData("a]b", @"^a\]b$")]
    [InlineData("end`", "^end`$")]
    [InlineData("^$|+{}", @"^\^\$\|\+\{\}$")]
    // LIKE's own metacharacters mean nothing to a regular expression: they match themselves.
    [InlineData("100%", "^100%$")]
    [InlineData("a_b", "^a_b$")]
    [InlineData(@"a\b", @"^a\\b$")]
    [InlineData(@"%_\", @"^%_\\$")]
    [InlineData("'; DROP TABLE users; --", "^'; DROP TABLE users; --$")]
    public void Each_wildcard_form_becomes_its_regular_expression(string pattern, string regex) =>
        Assert.Equal(regex, WildcardSql.ToRegex(pattern));

    [Theory]
    [InlineData("[]")]
    [InlineData("[abc")]
    [InlineData("x[")]
    [InlineData("a[b-")]
    [InlineData("[`")]
    public void A_pattern_PowerShell_refuses_is_refused_saying_how_to_escape(string pattern)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => WildcardSql.ToRegex(pattern));
        Assert.Contains($"'{pattern}'", e.Message);
        Assert.Contains("`[", e.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("x[")]
    public void Check_alone_refuses_the_same_patterns(string pattern) =>
        Assert.Contains("is not valid", Assert.Throws<ArgumentException>(() => WildcardSql.Check(pattern)).Message);

    private static readonly string[] Names =
    {
        "johndoe", "JaneDoe", "bob^x", "a-b", "c]d", "Star*", "Back\\slash", "Anna 100%", "anna_x", "annaybel", "ivan.p", "ivanxp",
        "[admin]", "a`b", "", "x", "-", "c-", "b-c", "ё", "日本語", "a.b", "(x)", "$", "a b",
    };

    private static readonly string[] Patterns =
    {
        "*", "?", "j*", "*doe", "*DOE", "[jb]*", "[a-c]*", "?[-]?", "c]d", "star`*", "back\\slash", "*100%", "*1%", "anna_x", "anna`_x",
        "ann[a]*", "ivan.?", "ivan.p", "`[admin`]", "*[`]]*", "a``b", "bob[\\^]x", "[^a]*", "?*", "*.*", "(x)", "$", "a?b", "[日ё]*", "[-a]*", "[a-b-c]*", "*[`-]*",
    };

    public static TheoryData<string> AllPatterns() => new(Patterns);

    [Theory]
    [MemberData(nameof(AllPatterns))]
    public void The_regular_expression_matches_what_like_matches(string pattern)
    {
        // .NET's regular expressions read these constructs as PostgreSQL's do (Get-DbUser runs them with ~*).
        var like = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
        var regex = new Regex(WildcardSql.ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        foreach (var name in Names)
        {
            Assert.True(like.IsMatch(name) == regex.IsMatch(name), $"'{name}' -like '{pattern}' is {like.IsMatch(name)}, the regex {regex} says {regex.IsMatch(name)}");
        }
    }
}
