using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Base of every PgUsers cmdlet: a cancellation token that Ctrl+C (StopProcessing) cancels.</summary>
public abstract class PgUsersCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the pipeline is stopped; pass it to every database call.</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Writes a terminating error built by <see cref="DbErrors"/>.</summary>
    protected void Terminate(Exception exception, object? target)
    {
        OnFailing(exception);
        if (exception is OperationCanceledException && Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        ThrowTerminatingError(DbErrors.Record(exception, target));
    }

    /// <summary>Called before a terminating error leaves the command (a session marks its unit of work as failed).</summary>
    private protected virtual void OnFailing(Exception exception)
    {
    }

    /// <summary>Called once when PowerShell disposes the command, whatever ended it: release what the command still holds.</summary>
    private protected virtual void Release()
    {
    }

    /// <summary>Called last on Dispose: drop what still points back at this command from longer-lived objects.</summary>
    private protected virtual void Detach()
    {
    }

    /// <summary>Releases what the command holds and the cancellation source.</summary>
    public void Dispose()
    {
        Release();
        Detach();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
