using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// tools/provision-test-servers.sh, which `dotnet test` runs before any server starts: on a machine without
/// PostgreSQL's server binaries or PgBouncer it installs them with apt-get as root, saying so in one line, and
/// elsewhere fails with one line naming the command to run. Run here with a PATH of fakes (an apt-get that
/// only records its arguments, an id that says who we are) and nothing at the usual places, so nothing is installed.
/// </summary>
public sealed class ProvisioningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-provision-").FullName;

    private (int ExitCode, string Output, string Errors, string[] AptCalls) Run(int uid, bool missing)
    {
        string bin = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        string log = Path.Combine(_folder, "apt.log");
        File.WriteAllText(Path.Combine(bin, "apt-get"), $"#!/bin/sh\necho \"$*\" >> '{log}'\n");
        File.WriteAllText(Path.Combine(bin, "id"), $"#!/bin/sh\necho {uid}\n");
        foreach (var fake in new[] { "apt-get", "id" }) File.SetUnixFileMode(Path.Combine(bin, fake), (UnixFileMode)0b111_101_101);
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Paths.Repo, "tools", "provision-test-servers.sh"));
        info.Environment["PATH"] = missing ? bin : bin + ":" + Environment.GetEnvironmentVariable("PATH");
        if (missing)
        {
            info.Environment["PGUSERS_PROVISION_POSTGRES_GLOB"] = Path.Combine(_folder, "none", "*", "initdb");
            info.Environment["PGUSERS_PROVISION_PGBOUNCER"] = Path.Combine(_folder, "none", "pgbouncer");
        }
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));
        return (process.ExitCode, output, errors.Result, File.Exists(log) ? File.ReadAllLines(log) : Array.Empty<string>());
    }

    [Fact]
    public void As_root_it_installs_what_is_missing_with_apt_get_and_says_so_in_one_line()
    {
        var (exitCode, output, errors, apt) = Run(uid: 0, missing: true);
        Assert.Equal(0, exitCode);
        Assert.Equal("Test prerequisites missing: installing postgresql pgbouncer with apt-get\n", output);
        Assert.Equal("", errors);
        Assert.Equal(new[] { "-o DPkg::Lock::Timeout=600 update -qq", "-o DPkg::Lock::Timeout=600 install -y -qq postgresql pgbouncer" }, apt);
    }

    [Fact]
    public void Not_as_root_it_fails_with_one_line_naming_the_command_to_run()
    {
        var (exitCode, output, errors, apt) = Run(uid: 1000, missing: true);
        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Single(errors.TrimEnd('\n').Split('\n'));
        Assert.Contains("sudo apt-get install postgresql pgbouncer", errors);
        Assert.Empty(apt);
    }

    [Fact]
    public void With_everything_present_it_says_nothing_and_installs_nothing()
    {
        var (exitCode, output, errors, apt) = Run(uid: 0, missing: false);
        Assert.Equal((0, "", ""), (exitCode, output, errors));
        Assert.Empty(apt);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
