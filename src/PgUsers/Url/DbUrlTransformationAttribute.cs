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
        try
        {
            return UrlInput.From(inputData) ?? throw new ArgumentTransformationMetadataException(
                $"-Url takes a DbUrl (from New-DbUrl) or a URL string, not a {(inputData is PSObject pso ? pso.BaseObject : inputData)?.GetType().Name ?? "null"}.");
        }
        catch (DbConfigurationException e)
        {
            return DbUrl.Unusable(e);
        }
    }
}
