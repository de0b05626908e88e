using System.Management.Automation;

namespace PgUsers.Engine;

/// <summary>
/// Lets -Engine take what a user means by "this database": an engine, a DbUrl, a URL string or a
/// sandbox. A URL becomes an engine with the default settings, made once per runspace and URL, so
/// repeated calls share one pool. A string that does not parse is refused with the parser's message,
/// which never quotes the password (PowerShell's own conversion error would quote the whole string).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class EngineTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is object[] items)
        {
            return items.Select(One).ToArray();
        }
        return One(value);
    }

    private static object? One(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        DbUrl? url = value switch
        {
            DbUrl u => u,
            DbSandbox sandbox => sandbox.Url,
            string text => Parse(text),
            Uri uri => Parse(uri.OriginalString),
            _ => null,
        };
        if (url is null) return value;
        try
        {
            return RunspaceState.Current.EngineFor(url);
        }
        catch (DbConfigurationException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }

    private static DbUrl Parse(string text)
    {
        try
        {
            return DbUrl.Parse(text);
        }
        catch (DbConfigurationException e)
        {
            throw new ArgumentTransformationMetadataException("-Engine takes an engine, a DbUrl or a URL string; this string is not a valid URL: " + e.Message, e);
        }
    }
}
