using System.Management.Automation;

namespace PgUsers.Sessions;

/// <summary>-Session takes a DbSession only; a URL string is refused without being quoted.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SessionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is string or Uri or DbUrl)
        {
            throw new ArgumentTransformationMetadataException(
                "-Session takes a session from New-DbSession, not a URL (not shown, it may carry a password). To run on a URL, pass it to -Engine.");
        }
        return inputData;
    }
}
