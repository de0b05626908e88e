namespace PgUsers.Engine;

/// <summary>Loads PgUsers.Driver into <see cref="DriverLoadContext"/> once per process, on first use.</summary>
internal static class Driver
{
    private static readonly Lazy<IDriver> s_instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IDriver Instance => s_instance.Value;

    private static IDriver Load()
    {
        string moduleDirectory = Path.GetDirectoryName(typeof(Driver).Assembly.Location)!;
        string binDirectory = Path.Combine(moduleDirectory, "bin");
        var context = new DriverLoadContext(binDirectory);
        var assembly = context.LoadFromAssemblyPath(Path.Combine(binDirectory, "PgUsers.Driver.dll"));
        var type = assembly.GetType("PgUsers.Driver.NpgsqlDriver", throwOnError: true)!;
        return (IDriver)Activator.CreateInstance(type)!;
    }
}
