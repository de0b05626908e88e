using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PgUsers.Url;

/// <summary>
/// Text a user passed where something else was expected may be a URL with its password: PowerShell's
/// own binding errors would quote it whole. These helpers find and mask such text before it is echoed.
/// </summary>
internal static partial class UrlSecrets
{
    // scheme://user:password@ — the password is whatever lies between the first ':' of the user info and the
    // last '@' before the line ends or another URL starts: DbUrl.Parse takes a password with spaces in it.
    [GeneratedRegex(@"(?<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@?#\s]*:)(?<secret>(?:(?![A-Za-z][A-Za-z0-9+.\-]*://)[^\r\n])*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPassword();

    // ?password=... up to the next option or the line's end (spaces included, as DbUrl.Parse takes them).
    [GeneratedRegex(@"(?<head>[?&]password=)(?<secret>[^&#\r\n]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QueryPassword();

    // libpq's keyword form, host=db password=secret (or password='se cret', with \' and \\ escapes), sslpassword too.
    [GeneratedRegex(@"(?<head>(?<![^\s'""(,;])(?:ssl)?password\s*=\s*)(?<secret>'(?:[^'\\]|\\.)*'?|[^\s'""]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KeywordPassword();

    /// <summary>True for text that holds a password: a URL's (in the user info or as ?password=) or libpq's keyword form.</summary>
    public static bool HasPassword(string text) => UserInfoPassword().IsMatch(text) || QueryPassword().IsMatch(text) || KeywordPassword().IsMatch(text);

    /// <summary>The text with every URL password, and every keyword-form password=..., replaced by ***.</summary>
    public static string Mask(string text)
    {
        if (text.Contains("://", StringComparison.Ordinal))
        {
            text = UserInfoPassword().Replace(text, m => m.Groups["head"].Value + "***@");
            text = QueryPassword().Replace(text, m => m.Groups["head"].Value + "***");
        }
        return text.Contains("password", StringComparison.OrdinalIgnoreCase)
            ? KeywordPassword().Replace(text, m => m.Groups["head"].Value + "***")
            : text;
    }

    /// <summary>An object safe to make an ErrorRecord's target or to quote: a string with a password is masked.</summary>
    public static object? SafeTarget(object? value) =>
        (value is PSObject pso ? pso.BaseObject : value) is string text && Mask(text) is var masked && !ReferenceEquals(masked, text) ? masked : value;
}
