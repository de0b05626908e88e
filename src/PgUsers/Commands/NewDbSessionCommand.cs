using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Starts a unit of work on one pooled connection (SQLAlchemy's Session); pass it as -Session, then Commit() and Dispose().</summary>
[Cmdlet(VerbsCommon.New, "DbSession")]
[OutputType(typeof(DbSession))]
public sealed class NewDbSessionCommand : EngineCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var engine = ResolveEngine();
        try
        {
            var session = new DbSession(engine, Acquire(engine), Target);
            RunspaceState.Current.AddSession(session);
            WriteVerbose($"Session started on engine '{engine.Name}': one connection, one open transaction. Commit() to keep its work; Dispose() returns the connection.");
            WriteObject(session);
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Terminate(e, engine);
        }
    }
}
