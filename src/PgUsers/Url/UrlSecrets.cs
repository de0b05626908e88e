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

    /// <summary>True for text that holds a URL with a password (in the user info or as ?password=).</summary>
    public static bool HasPassword(string text) => UserInfoPassword().IsMatch(text) || QueryPassword().IsMatch(text);

    /// <summary>The text with every URL password replaced by ***.</summary>
    public static string Mask(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal)) return text;
        text = UserInfoPassword().Replace(text, m => m.Groups["head"].Value + "***@");
        return QueryPassword().Replace(text, m => m.Groups["head"].Value + "***");
    }

    /// <summary>An object safe to make an ErrorRecord's target or to quote: a string with a URL password is masked.</summary>
    public static object? SafeTarget(object? value) =>
        (value is PSObject pso ? pso.BaseObject : value) is string text && text.Contains("://", StringComparison.Ordinal) ? Mask(text) : value;
}
