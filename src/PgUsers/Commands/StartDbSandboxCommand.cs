using System.Management.Automation;

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

    /// <summary>How many streaming standbys of the primary to start (pg_basebackup -R), each on its own port.</summary>
    [Parameter]
    [ValidateRange(0, 8)]
    public int Standby { get; set; }

    /// <summary>Also start PgBouncer in transaction mode in front of the primary (needs pgbouncer installed).</summary>
    [Parameter]
    public SwitchParameter Pooler { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        try
        {
            var sandbox = DbSandbox.Start(BinDirectory, Standby, Pooler, WriteVerbose);
            RunspaceState.Current.AddSandbox(sandbox);
            WriteVerbose($"Sandbox {sandbox.Version} ready at {sandbox.Url}.");
            foreach (var standby in sandbox.Standbys) WriteVerbose($"Standby ready at {standby.Url}.");
            if (sandbox.Pooler is { } pooler) WriteVerbose($"PgBouncer ({pooler.Server.Version}, transaction mode) ready at {pooler.Url}.");
            WriteObject(sandbox);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            Fail(new ErrorRecord(e, "PgUsers.SandboxFailed", ErrorCategory.ResourceUnavailable, BinDirectory));
        }
    }
}
