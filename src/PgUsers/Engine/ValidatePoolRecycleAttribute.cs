using System.Management.Automation;

namespace PgUsers.Engine;

/// <summary>-1 (never) or a positive number of seconds.</summary>
internal sealed class ValidatePoolRecycleAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object value = arguments is PSObject pso ? pso.BaseObject : arguments;
        if (value is not int seconds || (seconds != -1 && seconds < 1))
        {
            throw new ValidationMetadataException($"PoolRecycle is -1 (never recycle) or a number of seconds of at least 1, not {value}.");
        }
    }
}
