using System.Management.Automation;

namespace PgUsers.Internal;

/// <summary>
/// An empty CSV cell means "no value": without this, PowerShell would turn '' into 0 for a
/// number (a referrer_id of 0) and into the empty string for text.
/// </summary>
internal sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
    }
}
