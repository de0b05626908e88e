namespace PgUsers.Tests.Infrastructure;

internal static class Paths
{
    /// <summary>The repository root (the folder holding PgUsers.sln).</summary>
    public static string Repo { get; } = FindRepo();

    /// <summary>The importable module, as a user imports it.</summary>
    public static string Manifest => Path.Combine(Repo, "out", "PgUsers", "PgUsers.psd1");

    /// <summary>The console host (tests/PgUsers.Host) of the same build configuration: runs a script as a separate process.</summary>
    public static string HostDll
    {
        get
        {
            string configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
            string host = Path.Combine(Repo, "tests", "PgUsers.Host", "bin", configuration, "net10.0", "PgUsers.Host.dll");
            return File.Exists(host) ? host : throw new Xunit.Sdk.XunitException($"build the solution first: {host}");
        }
    }

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PgUsers.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PgUsers.sln not found above the test binaries.");
    }
}
