namespace PgUsers.Tests.Infrastructure;

public static class PSObjectExtensions
{
    /// <summary>A property's value as PowerShell sees it (adapted, note or .NET property).</summary>
    public static object? Prop(this PSObject value, string name)
    {
        var property = value.Properties[name] ?? throw new Xunit.Sdk.XunitException($"No property '{name}' on {value.BaseObject.GetType().FullName}.");
        return Pwsh.Unwrap(property.Value);
    }

    public static string[] PropNames(this PSObject value) => value.Properties.Select(p => p.Name).ToArray();
}
