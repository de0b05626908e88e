using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Starts a unit of work on one pooled connection (SQLAlchemy's Session); pass it as -Session, then Commit() and Dispose().</summary>
[Cmdlet(VerbsCommon.New, "DbSession")]
[OutputType(typeof(DbSession))]
public sealed class NewDbSessionCommand : PgUsersCmdlet
{
    /// <summary>The engine to take the connection from instead of the session default: an engine, or a URL for one made and kept per runspace.</summary>
    [Parameter]
    [EngineTransformation]
    [ValidateNotNull]
    public DbEngine? Engine { get; set; }

    /// <summary>The kind of server the unit of work runs on, in libpq's words; the engine's URL (target_session_attrs) decides when omitted.</summary>
    [Parameter]
    [ValidateSet(TargetSessions.Any, TargetSessions.ReadWrite, TargetSessions.ReadOnly, TargetSessions.Primary,
        TargetSessions.Standby, TargetSessions.PreferStandby, TargetSessions.PreferPrimary)]
    public string? TargetSessionAttrs { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var engine = EngineChoice.Resolve(Engine, this, out var error);
        if (error is not null) Fail(error);
        try
        {
            var target = TargetSessions.Parse(TargetSessionAttrs);
            var session = new DbSession(engine!, engine!.Acquire(Cancellation, target), target);
            RunspaceState.Current.AddSession(session);
            WriteVerbose($"Session started on engine '{engine.Name}': one connection, one open transaction. Commit() to keep its work; Dispose() returns the connection.");
            WriteObject(session);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, engine);
        }
    }
}
