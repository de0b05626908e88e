using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Starts a throwaway PostgreSQL server on 127.0.0.1 and a free port: from local binaries, or in a container.</summary>
[Cmdlet(VerbsLifecycle.Start, "DbSandbox", DefaultParameterSetName = LocalSet)]
[OutputType(typeof(DbSandbox))]
public sealed class StartDbSandboxCommand : PgUsersCmdlet
{
    private const string LocalSet = "Local";
    private const string ContainerSet = "Container";

    /// <summary>The folder holding initdb and pg_ctl, when not found on its own.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    [ValidateNotNullOrEmpty]
    public string? BinDirectory { get; set; }

    /// <summary>How many streaming standbys of the primary to start (pg_basebackup -R), each on its own port.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    [ValidateRange(0, 8)]
    public int Standby { get; set; }

    /// <summary>Also start PgBouncer in transaction mode in front of the primary (needs pgbouncer installed).</summary>
    [Parameter(ParameterSetName = LocalSet)]
    public SwitchParameter Pooler { get; set; }

    /// <summary>Run the server in a container through the docker client (Docker or Podman), even when local binaries exist.</summary>
    [Parameter(ParameterSetName = ContainerSet)]
    public SwitchParameter Container { get; set; }

    /// <summary>The container image (implies -Container); the official postgres image of the tested major by default.</summary>
    [Parameter(ParameterSetName = ContainerSet)]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string? image = ParameterSetName == ContainerSet ? Image ?? Sandbox.DockerServer.DefaultImage : null;
        try
        {
            var sandbox = DbSandbox.Start(BinDirectory, Standby, Pooler, image, WriteVerbose, Cancellation);
            RunspaceState.Current.AddSandbox(sandbox);
            WriteVerbose($"Sandbox {sandbox.Version} ready at {sandbox.Url}.");
            foreach (var standby in sandbox.Standbys) WriteVerbose($"Standby ready at {standby.Url}.");
            if (sandbox.Pooler is { } pooler) WriteVerbose($"PgBouncer ({pooler.Server.Version}, transaction mode) ready at {pooler.Url}.");
            WriteObject(sandbox);
        }
        catch (Sandbox.ContainerEngineException e)
        {
            Fail(new ErrorRecord(e, "PgUsers.NoContainerEngine", ErrorCategory.ResourceUnavailable, image));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            Fail(new ErrorRecord(e, "PgUsers.SandboxFailed", ErrorCategory.ResourceUnavailable, (object?)image ?? BinDirectory));
        }
    }
}
