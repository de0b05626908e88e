using System.Reflection;
using System.Runtime.Loader;

namespace PgUsers.Engine;

/// <summary>
/// The module's private load context: PgUsers.Driver, Npgsql and their dependencies load from
/// <c>bin/</c> here, so another module's Npgsql or DiagnosticSource in the session can't clash
/// (Microsoft's "resolving PowerShell module assembly dependency conflicts" pattern).
/// </summary>
internal sealed class DriverLoadContext : AssemblyLoadContext
{
    private static readonly Assembly s_cmdletAssembly = typeof(DriverLoadContext).Assembly;
    private readonly string _binDirectory;

    public DriverLoadContext(string binDirectory) : base("PgUsers", isCollectible: false)
    {
        _binDirectory = binDirectory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The engine implements our internal interfaces: it must see the one PgUsers.dll
        // PowerShell already loaded, or the types would not match.
        if (string.Equals(assemblyName.Name, s_cmdletAssembly.GetName().Name, StringComparison.Ordinal))
        {
            return s_cmdletAssembly;
        }

        string candidate = Path.Combine(_binDirectory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string candidate = Path.Combine(_binDirectory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
