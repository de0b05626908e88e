using System.Management.Automation;

namespace PgUsers.Tables;

/// <summary>
/// -Destination takes what -Engine takes (an engine, a DbUrl, a URL string, a sandbox) or a session, whose
/// unit of work the copy then joins. A string that does not parse is refused without being quoted.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class CopyDestinationAttribute : ArgumentTransformationAttribute
{
    private static readonly EngineTransformationAttribute s_engine = new();

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is DbSession or DbEngine or null) return value;
        object? engine;
        try
        {
            engine = s_engine.Transform(engineIntrinsics, value);
        }
        catch (ArgumentTransformationMetadataException e) when (e.InnerException is DbConfigurationException inner)
        {
            throw new ArgumentTransformationMetadataException("-Destination takes an engine, a session, a DbUrl or a URL string; this one cannot be used: " + inner.Message, inner);
        }
        if (engine is not DbEngine)
        {
            throw new ArgumentTransformationMetadataException(
                $"-Destination takes an engine (New-DbEngine), a session (New-DbSession), a DbUrl or a URL string, not a {value.GetType().Name}.");
        }
        return engine;
    }
}
