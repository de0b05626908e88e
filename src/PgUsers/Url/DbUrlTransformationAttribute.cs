using System.Management.Automation;

namespace PgUsers.Url;

/// <summary>
/// Lets -Url take a DbUrl or a string. Done here rather than by PowerShell's own conversion,
/// whose error would quote the string — password included. A string that does not parse becomes
/// <see cref="DbUrl.Unusable"/> rather than a binding error: for piped input PowerShell makes the
/// raw string the error's TargetObject. The cmdlet reports it (PgUsers.InvalidUrl).
/// </summary>
internal sealed class DbUrlTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            DbUrl url => url,
            DbSandbox sandbox => sandbox.Url,
            DbEngine engine => engine.Url,
            string text => Parse(text),
            Uri uri => Parse(uri.OriginalString),
            _ => throw new ArgumentTransformationMetadataException(
                $"-Url takes a DbUrl (from New-DbUrl) or a URL string, not a {value?.GetType().Name ?? "null"}."),
        };
    }

    private static DbUrl Parse(string text)
    {
        try
        {
            return DbUrl.Parse(text);
        }
        catch (DbConfigurationException e)
        {
            return DbUrl.Unusable(e);
        }
    }
}
