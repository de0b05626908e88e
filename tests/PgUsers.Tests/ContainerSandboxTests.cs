using Npgsql;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Start-DbSandbox -Container: PostgreSQL in a container through the docker client, on the engine that
/// tools/container/engine.sh provides (Podman here), with the test image it builds.
/// </summary>
[Collection("container")]
public sealed class ContainerSandboxTests
{
    private readonly ContainerEngine _engine;

    public ContainerSandboxTests(ContainerEngine engine) => _engine = engine;

    [Fact]
    public void A_container_sandbox_is_ready_on_loopback_and_gone_when_stopped()
    {
        using var shell = new Pwsh();
        shell.Set("image", _engine.Image);
        var sandbox = shell.Run("$s = Start-DbSandbox -Container -Image $image; $s")[0];
        string url = (string)shell.Values("$s.Url.RenderAsString($false)").Single()!;
        // Ready means the final server takes the password: the first attempt, no retry, gets in.
        Assert.True(ServerFixture.Accepts(url));
        Assert.Equal("Container", sandbox.Prop("Kind"));
        Assert.Equal(_engine.Image, sandbox.Prop("Image"));
        Assert.Null(sandbox.Prop("Directory"));
        Assert.StartsWith("postgresql://pgusers:***@127.0.0.1:", sandbox.Prop("Url")!.ToString());
        string id = (string)sandbox.Prop("Container")!;
        Assert.Contains(id, ContainerEngine.SandboxContainers());
        Assert.StartsWith("PostgreSQL 15.", (string)sandbox.Prop("Version")!);

        // Published on 127.0.0.1 only; labelled with the process that owns it.
        Assert.Equal($"127.0.0.1:{sandbox.Prop("Port")}", ContainerEngine.Docker("port", id, "5432/tcp").Trim());
        Assert.Equal(Environment.ProcessId.ToString(), ContainerEngine.Docker("inspect", "--format", "{{index .Config.Labels \"pgusers.sandbox\"}}", id).Trim());

        // The module connects, and the sandbox's settings reached the server as trailing -c options.
        Assert.Equal(new object?[] { 1, "off", "300" }, shell.Values(
            "New-DbEngine $s | Out-Null; Invoke-DbQuery 'SELECT 1' -Scalar; Invoke-DbQuery 'SHOW fsync' -Scalar; Invoke-DbQuery 'SHOW max_connections' -Scalar"));

        // Restart() returns once the server takes connections again.
        Assert.Equal(2, shell.Values("$s.Restart(); Invoke-DbQuery 'SELECT 2' -Scalar -Engine (New-DbEngine $s.Url -Name afterRestart)").Single());

        shell.Run("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox $s");
        Assert.False((bool)shell.Values("$s.IsRunning").Single()!);
        Assert.DoesNotContain(id, ContainerEngine.SandboxContainers());
        Assert.False(ServerFixture.Accepts(url));
    }

    [Fact]
    public void A_container_sandbox_does_not_outlive_a_killed_process()
    {
        string script = Path.Combine(Path.GetTempPath(), $"pgusers-orphan-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(script, $$"""
            Import-Module '{{Paths.Manifest}}'
            $s = Start-DbSandbox -Image '{{_engine.Image}}'
            "ID=$($s.Container)"
            Start-Sleep -Seconds 120
            """);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Paths.HostDll);
        info.ArgumentList.Add(script);
        using var process = System.Diagnostics.Process.Start(info)!;
        string? id = null;
        try
        {
            while (id is null && process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("ID=")) id = line[3..];
            }
            Assert.NotNull(id);
            Assert.Contains(id, ContainerEngine.SandboxContainers());
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
            File.Delete(script);
        }
        // No exit handler ran; the watchdog removes the labelled container.
        Assert.True(Background.WaitUntil(() => !ContainerEngine.SandboxContainers().Contains(id), TimeSpan.FromSeconds(30)),
            "the container outlived its process");
    }

    [Fact]
    public void No_engine_is_a_clear_error_quoting_docker_info()
    {
        // A socket in a fresh folder that nothing listens on: the docker client finds no engine there.
        string folder = Directory.CreateTempSubdirectory("pgusers-noengine-").FullName;
        string? saved = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Environment.SetEnvironmentVariable("DOCKER_HOST", $"unix://{folder}/docker.sock");
        try
        {
            using var shell = new Pwsh();
            var error = shell.Invoke("Start-DbSandbox -Container").Error;
            Assert.Equal("PgUsers.NoContainerEngine,PgUsers.Commands.StartDbSandboxCommand", error?.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceUnavailable, error!.CategoryInfo.Category);
            Assert.Equal("postgres:15", error.TargetObject);
            Assert.Contains("'docker info' says:", error.Exception.Message);
            Assert.Contains($"{folder}/docker.sock", error.Exception.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", saved);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_password_travels_in_the_clients_environment_never_on_the_command_line()
    {
        using var shell = new Pwsh();
        var assembly = AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "PgUsers");
        var method = assembly.GetType("PgUsers.Sandbox.DockerServer", throwOnError: true)!
            .GetMethod("RunCommand", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;
        var (arguments, environment) = ((string[], Dictionary<string, string>))method.Invoke(null,
            new object[] { "pgusers-sandbox-x", "postgres:15", "pgusers", "Zq7xDockerSecret", 55432 })!;
        Assert.DoesNotContain(arguments, a => a.Contains("Zq7xDockerSecret"));
        Assert.Contains("POSTGRES_PASSWORD", arguments);
        Assert.Equal("Zq7xDockerSecret", environment["POSTGRES_PASSWORD"]);
        Assert.Contains("127.0.0.1:55432:5432", arguments);
    }

    [Fact]
    public void The_test_image_keeps_the_official_images_contract()
    {
        // _FILE forms, POSTGRES_USER and POSTGRES_DB, /docker-entrypoint-initdb.d and trailing -c options.
        string folder = Directory.CreateTempSubdirectory("pgusers-image-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "init"));
        File.WriteAllText(Path.Combine(folder, "init", "10-seed.sql"), "CREATE TABLE seeded AS SELECT 7 AS n;\n");
        File.WriteAllText(Path.Combine(folder, "init", "20-note.sh"), "psql -c \"COMMENT ON TABLE seeded IS 'from sh'\"\n");
        File.WriteAllText(Path.Combine(folder, "password"), "Fi1eSecret\n");
        int port = FreePort();
        string id = ContainerEngine.Docker("run", "-d", "--label", $"pgusers.sandbox={Environment.ProcessId}",
            "-p", $"127.0.0.1:{port}:5432", "-v", $"{folder}/init:/docker-entrypoint-initdb.d:ro", "-v", $"{folder}/password:/run/secrets/pw:ro",
            "-e", "POSTGRES_PASSWORD_FILE=/run/secrets/pw", "-e", "POSTGRES_USER=owner", "-e", "POSTGRES_DB=app",
            _engine.Image, "-c", "work_mem=7MB").Trim();
        try
        {
            string url = $"postgresql://owner:Fi1eSecret@127.0.0.1:{port}/app";
            Assert.True(Background.WaitUntil(() => ServerFixture.Accepts(url), TimeSpan.FromSeconds(60)), ContainerEngine.Docker("logs", id));
            using var connection = new NpgsqlConnection(ServerFixture.ToConnectionString(url));
            connection.Open();
            using var command = new NpgsqlCommand(
                "SELECT current_user::text, current_database()::text, (SELECT n FROM seeded), obj_description('seeded'::regclass), current_setting('work_mem')", connection);
            using var reader = command.ExecuteReader();
            reader.Read();
            Assert.Equal(new object[] { "owner", "app", 7, "from sh", "7MB" }, Enumerable.Range(0, 5).Select(reader.GetValue).ToArray());
        }
        finally
        {
            ContainerEngine.Docker("rm", "-f", "-v", id);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
