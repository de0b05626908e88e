using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PgUsers.Url;

/// <summary>
/// For parameters of any other type: a URL string with a password is refused without being quoted
/// (PowerShell's conversion error would show it whole). Anything else passes on to the usual conversion.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class NoUrlEchoAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if (Strings(inputData).Any(UrlSecrets.HasPassword))
        {
            throw new ArgumentTransformationMetadataException(
                "This parameter does not take a URL; the value given looks like one and carries a password, so it is not shown here. Pass a URL to New-DbEngine -Url or to -Engine.");
        }
        return inputData;
    }

    internal static IEnumerable<string> Strings(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        if (value is string text)
        {
            yield return text;
        }
        else if (value is System.Collections.IEnumerable items and not System.Collections.IDictionary)
        {
            foreach (object? item in items)
            {
                if ((item is PSObject p ? p.BaseObject : item) is string s) yield return s;
            }
        }
    }
}
