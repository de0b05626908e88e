using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>Starts a throwaway PostgreSQL server on 127.0.0.1 and a free port.</summary>
[Cmdlet(VerbsLifecycle.Start, "DbSandbox")]
[OutputType(typeof(DbSandbox))]
public sealed class StartDbSandboxCommand : PgUsersCmdlet
{
    /// <summary>The folder holding initdb and pg_ctl, when not found on its own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BinDirectory { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        try
        {
            var sandbox = DbSandbox.Start(BinDirectory, WriteVerbose);
            RunspaceState.Current.AddSandbox(sandbox);
            WriteVerbose($"Sandbox {sandbox.Version} ready at {sandbox.Url}.");
            WriteObject(sandbox);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PgUsers.SandboxFailed", ErrorCategory.ResourceUnavailable, BinDirectory));
        }
    }
}
