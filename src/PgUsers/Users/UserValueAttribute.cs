using System.Collections;
using System.Management.Automation;

namespace PgUsers.Users;

/// <summary>
/// Converts a users parameter strictly, as pipeline input is converted: PowerShell's own conversion
/// would round '12.6' to 13 and read '0x20' as 32.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class UserValueAttribute : ArgumentTransformationAttribute
{
    private readonly TableColumn _column;

    /// <param name="psName">The column's PowerShell name (the parameter's own name).</param>
    public UserValueAttribute(string psName)
    {
        _column = UserTable.Columns.Single(c => c.PsName == psName);
    }

    /// <summary>True for a parameter that takes many ids (long[]).</summary>
    public bool Many { get; init; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? raw = ColumnValues.Unwrap(inputData);
        // An object piped by value is not an id: leave it for the binder to refuse, so it binds by property name instead.
        if (raw is not (null or string or ValueType or IEnumerable) || raw is IDictionary) return inputData;
        if (!Many) return One(raw);
        if (raw is IEnumerable items and not string) return items.Cast<object?>().Select(One).Cast<long>().ToArray();
        return new[] { (long)One(raw)! };
    }

    private object? One(object? raw)
    {
        if (ColumnValues.TryConvert(_column, raw, out var value, out var problem)) return value;
        throw new ArgumentTransformationMetadataException(problem + ".");
    }
}
