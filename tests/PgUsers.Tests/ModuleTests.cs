using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The module imports like any module: from its manifest, exposing exactly its cmdlets.</summary>
public sealed class ModuleTests
{
    private static readonly string[] Expected =
    {
        "Add-DbUser", "Get-DbEngine", "Get-DbUser", "Initialize-DbUserTable", "Invoke-DbQuery", "New-DbEngine",
        "New-DbSession", "New-DbUrl", "Remove-DbEngine", "Remove-DbUser", "Set-DbUser", "Start-DbSandbox", "Stop-DbSandbox",
        "Use-DbSession",
    };

    [Fact]
    public void Import_from_the_manifest_exposes_exactly_the_public_cmdlets()
    {
        using var shell = new Pwsh();
        var names = shell.Values("(Get-Command -Module PgUsers).Name | Sort-Object").Cast<string>().ToArray();
        Assert.Superset(new HashSet<string>(Expected), new HashSet<string>(names));
        var manifest = shell.Values($"(Import-PowerShellDataFile '{Paths.Manifest}').CmdletsToExport").Cast<string>().OrderBy(n => n).ToArray();
        Assert.Equal(manifest, names);
    }

    [Fact]
    public void The_module_folder_never_ships_the_PowerShell_reference_assembly()
    {
        var outDir = Path.GetDirectoryName(Paths.Manifest)!;
        Assert.Empty(Directory.GetFiles(outDir, "System.Management.Automation.dll", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(outDir, "PgUsers.dll")));
        Assert.True(File.Exists(Path.Combine(outDir, "bin", "Npgsql.dll")));
    }

    [Fact]
    public void The_manifest_is_Core_only_for_PowerShell_7_4_and_later()
    {
        using var shell = new Pwsh(import: false);
        var info = shell.Run($"Test-ModuleManifest '{Paths.Manifest}'")[0];
        Assert.Equal(new Version(7, 4), (Version)info.Properties["PowerShellVersion"].Value);
        Assert.Equal(new[] { "Core" }, ((IEnumerable<string>)info.Properties["CompatiblePSEditions"].Value).ToArray());
    }

    [Fact]
    public void Removing_the_module_and_importing_it_again_works()
    {
        using var shell = new Pwsh();
        shell.Run("Remove-Module PgUsers");
        shell.Run($"Import-Module '{Paths.Manifest}'");
        Assert.Equal("postgresql://u@h/d", shell.Values("(New-DbUrl -Url 'postgresql://u@h/d').ToString()").Single());
    }
}
