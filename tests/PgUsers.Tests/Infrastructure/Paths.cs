namespace PgUsers.Tests.Infrastructure;

internal static class Paths
{
    /// <summary>The repository root (the folder holding PgUsers.sln).</summary>
    public static string Repo { get; } = FindRepo();

    /// <summary>The importable module, as a user imports it.</summary>
    public static string Manifest => Path.Combine(Repo, "out", "PgUsers", "PgUsers.psd1");

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PgUsers.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PgUsers.sln not found above the test binaries.");
    }
}
