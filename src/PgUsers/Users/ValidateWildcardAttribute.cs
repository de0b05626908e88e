using System.Management.Automation;
using System.Text;

namespace PgUsers.Users;

/// <summary>Refuses a wildcard pattern PowerShell would refuse, before anything is sent (a clear error instead of the server's).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateWildcardAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if ((arguments is PSObject pso ? pso.BaseObject : arguments) is not string pattern) return;
        try
        {
            WildcardSql.Check(pattern);
        }
        catch (ArgumentException e)
        {
            throw new ValidationMetadataException(e.Message);
        }
    }
}
