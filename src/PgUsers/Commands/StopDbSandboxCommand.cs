using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Stops sandboxes and deletes their files: the ones given, or every one this session started.</summary>
[Cmdlet(VerbsLifecycle.Stop, "DbSandbox", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class StopDbSandboxCommand : PgUsersCmdlet
{
    /// <summary>The sandboxes to stop; all of this session's when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [NoUrlEcho]
    [ValidateNotNull]
    public DbSandbox[]? Sandbox { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var sandbox in Sandbox ?? RunspaceState.Current.Sandboxes.ToArray())
        {
            if (ShouldProcess(sandbox.ToString(), "Stop the server and delete its files"))
            {
                sandbox.Dispose();
                WriteVerbose($"Stopped {sandbox}.");
            }
        }
    }
}
