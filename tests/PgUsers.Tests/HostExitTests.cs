using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// tests/PgUsers.Host exits as pwsh -File does: the script's exit N, else 1 when an error ended the script,
/// else 0, whatever errors the script wrote or caught. Each case runs in both, the pinned pwsh the reference.
/// </summary>
public sealed class HostExitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-host-").FullName;

    [Theory]
    [InlineData("try { Get-Item /nonexistent-pgusers -ErrorAction Stop } catch { 'caught' }", 0)]
    [InlineData("try { throw 'x' } catch { 'caught' }", 0)]
    [InlineData("Write-Error 'written, not thrown'; 'after'", 0)]
    [InlineData("Get-Item /nonexistent-pgusers -ErrorAction SilentlyContinue; 'ok'", 0)]
    [InlineData("sh -c 'exit 3'; 'a native failure is not the script''s exit'", 0)]
    [InlineData("throw 'boom'", 1)]
    [InlineData("$ErrorActionPreference = 'Stop'; Get-Item /nonexistent-pgusers", 1)]
    [InlineData("exit 7", 7)]
    [InlineData("Write-Error 'e'; exit 0", 0)]
    public void Exits_as_pwsh_does(string script, int expected)
    {
        string file = Path.Combine(_folder, "case.ps1");
        File.WriteAllText(file, script + "\n");
        Assert.Equal(expected, Run(Paths.HostDll, file));
        Assert.Equal(expected, Run("tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", file));
    }

    private static int Run(params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Paths.Repo,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the script did not finish");
        output.Wait();
        errors.Wait();
        return process.ExitCode;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
