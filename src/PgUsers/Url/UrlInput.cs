using System.Management.Automation;

namespace PgUsers.Url;

/// <summary>What a -Url parameter accepts as a URL: a DbUrl, a sandbox's or an engine's URL, or URL text.</summary>
internal static class UrlInput
{
    /// <summary>The URL <paramref name="value"/> stands for; null when it is none of those. Text that does not parse throws <see cref="DbConfigurationException"/>.</summary>
    public static DbUrl? From(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
    {
        DbUrl url => url,
        DbSandbox sandbox => sandbox.Url,
        DbEngine engine => engine.Url,
        string text => DbUrl.Parse(text),
        Uri uri => DbUrl.Parse(uri.OriginalString),
        _ => null,
    };
}
