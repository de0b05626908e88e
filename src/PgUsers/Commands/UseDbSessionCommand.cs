using System.Management.Automation;
using System.Runtime.ExceptionServices;

namespace PgUsers.Commands;

/// <summary>
/// Runs a script block as one unit of work: every PgUsers command inside uses its session; it
/// commits when the block ends normally and rolls back (then rethrows) when it fails or is stopped.
/// Inside another session it works on a savepoint, so its failure rolls back only its own work.
/// </summary>
[Cmdlet(VerbsOther.Use, "DbSession")]
[OutputType(typeof(object))]
public sealed class UseDbSessionCommand : DbCmdlet
{
    // One pipeline that dot-sources the block, so it runs in the caller's scope (like
    // ForEach-Object or Measure-Command) and its output streams through this command. The try
    // makes a command's terminating error end the block (as in any try), instead of the block
    // going on inside a failed transaction. A steppable pipeline evaluates its arguments when it
    // is created, so the variable carrying them lives only that long.
    private const string RunnerVariable = "__PgUsersUseDbSession";
    private const string Runner = $". {{ try {{ . $args[0] $args[1] }} catch {{ throw }} }} ${RunnerVariable}[0] ${RunnerVariable}[1]";

    /// <summary>The work to run; receives the session as its first argument.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>How many times to run the block again after a serialization failure, a deadlock or a lost connection.</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int Retry { get; set; }

    /// <summary>Seconds before the first retry; each next one waits about twice as long (with jitter).</summary>
    [Parameter]
    [ValidateRange(0.0, 3600.0)]
    public double RetryDelay { get; set; } = 0.1;

    // Commits the block made itself ($s.Commit()) in the attempt that just failed: work a retry would repeat.
    private int _committed;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        // A nested block's failure aborts the outer transaction too: only the outermost unit can run again.
        bool nested = ActiveSession is not null;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                RunUnit();
                return;
            }
            catch (Exception e) when (!nested && attempt <= Retry && _committed == 0 && UnitRetry.Reason(e) is { } why)
            {
                var delay = UnitRetry.Delay(RetryDelay, attempt);
                WriteVerbose($"Unit of work rolled back: {why}. Retry {attempt} of {Retry} in {delay.TotalMilliseconds:0} ms.");
                if (Cancellation.WaitHandle.WaitOne(delay)) throw new PipelineStoppedException();
            }
            catch (CommitFailedException e)
            {
                Fail(e.InnerException!, ScriptBlock);
            }
        }
    }

    private void RunUnit()
    {
        var (session, owned) = Open();
        var ambient = RunspaceState.Current.AmbientSessions;
        ambient.Push(session);
        int depth = ambient.Count;
        bool left = false;
        try
        {
            Run(session);
            left = true;
            _committed = owned ? session.Commits : 0;
            Pop(ambient, depth);
            Finish(session, owned);
        }
        catch (FlowControlException e) when (!left && e is not ExitException)
        {
            // break or continue out of the block leaves it without an error: keep its work, as
            // Python's with-block does, then let the loop outside carry on.
            Pop(ambient, depth);
            Finish(session, owned);
            ExceptionDispatchInfo.Capture(e).Throw();
        }
        catch (Exception e) when (!left)
        {
            _committed = owned ? session.Commits : 0;
            if (_committed > 0 && Retry > 0)
            {
                WriteVerbose($"Unit of work failed after it committed {_committed} time(s) itself: not retried, since a retry would repeat the committed work.");
            }
            Pop(ambient, depth);
            Abandon(session, owned, e);
            ExceptionDispatchInfo.Capture(e).Throw();
        }
        finally
        {
            if (owned) session.Dispose();
        }
    }

    /// <summary>The session to run in: a new one (owned), or the one we are nested in, on a new savepoint.</summary>
    private (DbSession Session, bool Owned) Open()
    {
        try
        {
            if (ActiveSession is { } outer)
            {
                RefuseOtherTarget(outer);
                outer.EnterSavepoint();
                WriteVerbose($"Nested unit of work: savepoint {outer.Depth} in {outer}.");
                return (outer, false);
            }
            var engine = ResolveEngine();
            var session = new DbSession(engine, engine.Acquire(Cancellation, Target), Target);
            WriteVerbose($"Unit of work started on engine '{engine.Name}'.");
            return (session, true);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, ScriptBlock);
            throw;
        }
    }

    private void Run(DbSession session)
    {
        var variables = SessionState.PSVariable;
        SteppablePipeline pipeline;
        variables.Set(RunnerVariable, new object[] { ScriptBlock, session });
        try
        {
            // Made per call, in this runspace: a script block must not wander between runspaces.
            pipeline = InvokeCommand.NewScriptBlock(Runner).GetSteppablePipeline(CommandOrigin.Internal);
        }
        finally
        {
            variables.Remove(RunnerVariable);
        }
        try
        {
            pipeline.Begin(this);
            pipeline.End();
        }
        finally
        {
            pipeline.Dispose();
        }
    }

    private void Finish(DbSession session, bool owned)
    {
        try
        {
            if (owned)
            {
                // A deferred trigger may RAISE NOTICE at COMMIT: this command writes it, not the block's last one.
                session.Link.Notices = Notices.Post;
                session.CommitTransaction(session.Link);
                WriteVerbose("Unit of work committed.");
            }
            else
            {
                session.LeaveSavepoint(keep: true);
                WriteVerbose("Nested unit of work kept (savepoint released).");
            }
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            // Not Terminate: our failure must not doom the enclosing unit of work, which may catch it.
            // Thrown as it is until the retry loop has decided; the loop then writes the terminating error.
            throw new CommitFailedException(e);
        }
    }

    /// <summary>The commit (or the release of a savepoint) failed; <see cref="Exception.InnerException"/> says why.</summary>
    private sealed class CommitFailedException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>The block failed or was stopped: nothing of it may stay.</summary>
    private void Abandon(DbSession session, bool owned, Exception reason)
    {
        try
        {
            if (owned)
            {
                session.Dispose();
            }
            else if (session.IsActive)
            {
                session.LeaveSavepoint(keep: false);
            }
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            // The connection is gone or broken; the enclosing unit of work will fail on its own.
            session.Fail($"rolling back a nested unit of work failed: {e.Message}");
        }
        if (reason is not PipelineStoppedException)
        {
            WriteVerbose(owned ? "Unit of work rolled back." : "Nested unit of work rolled back to its savepoint.");
        }
    }

    private static void Pop(Stack<DbSession> ambient, int depth)
    {
        while (ambient.Count >= depth) ambient.Pop();
    }
}
