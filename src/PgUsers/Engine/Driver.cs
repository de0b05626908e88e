namespace PgUsers.Engine;

/// <summary>Loads PgUsers.Driver into <see cref="DriverLoadContext"/> once per process, on first use.</summary>
internal static class Driver
{
    private static readonly Lazy<IDriver> s_instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IDriver Instance => s_instance.Value;

    /// <summary>The load context the engine lives in (tests check Npgsql is isolated there).</summary>
    public static System.Runtime.Loader.AssemblyLoadContext? LoadContext { get; private set; }

    private static IDriver Load()
    {
        string moduleDirectory = Path.GetDirectoryName(typeof(Driver).Assembly.Location)!;
        string binDirectory = Path.Combine(moduleDirectory, "bin");
        var context = new DriverLoadContext(binDirectory);
        var assembly = context.LoadFromAssemblyPath(Path.Combine(binDirectory, "PgUsers.Driver.dll"));
        var type = assembly.GetType("PgUsers.Driver.NpgsqlDriver", throwOnError: true)!;
        LoadContext = context;
        return (IDriver)Activator.CreateInstance(type)!;
    }
}
