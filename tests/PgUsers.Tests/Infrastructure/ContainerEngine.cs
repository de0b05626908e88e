using System.Diagnostics;

namespace PgUsers.Tests.Infrastructure;

/// <summary>
/// A container engine that the docker client reaches, with the test image on it, for the tests of the
/// "container" collection: tools/container/engine.sh finds one or provisions Podman (the same script
/// .ci/run uses), and the docker client of this process and its children is pointed at it.
/// </summary>
public sealed class ContainerEngine : IDisposable
{
    private readonly string _serviceDirectory;
    private readonly Dictionary<string, string?> _saved = new();

    public ContainerEngine()
    {
        string script = Path.Combine(Paths.Repo, "tools", "container", "engine.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("start");
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        // A fresh machine installs packages and builds the image (minutes); a provisioned one answers at once.
        if (!process.WaitForExit(TimeSpan.FromMinutes(20)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tools/container/engine.sh start failed:\n{stderr.Result}");
        }
        var values = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        foreach (var name in new[] { "DOCKER_HOST", "CONTAINERS_CONF" })
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            if (values.GetValueOrDefault(name) is { Length: > 0 } value) Environment.SetEnvironmentVariable(name, value);
        }
        Image = values["PGUSERS_TEST_IMAGE"];
        _serviceDirectory = values.GetValueOrDefault("PGUSERS_ENGINE_DIR") ?? "";
    }

    /// <summary>The test image (PostgreSQL 15 from Debian's packages, built by tools/container/build-image.sh).</summary>
    public string Image { get; }

    /// <summary>The ids of the sandbox containers the engine has, running or not.</summary>
    public static IReadOnlyList<string> SandboxContainers() =>
        Docker("ps", "-a", "--filter", "label=pgusers.sandbox", "--format", "{{.ID}}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(id => id.Trim()).ToList();

    /// <summary>Runs the docker client; returns its standard output.</summary>
    public static string Docker(params string[] arguments)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(' ', arguments)}: {stderr.Result}");
        return output;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        if (_serviceDirectory.Length == 0) return;
        var info = new ProcessStartInfo("bash") { UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Paths.Repo, "tools", "container", "engine.sh"));
        info.ArgumentList.Add("stop");
        info.ArgumentList.Add(_serviceDirectory);
        using var process = Process.Start(info)!;
        process.WaitForExit(60_000);
    }
}

[CollectionDefinition("container")]
public sealed class ContainerCollection : ICollectionFixture<ContainerEngine>
{
}
