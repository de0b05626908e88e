using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Base of every PgUsers cmdlet: a cancellation token that Ctrl+C (StopProcessing) cancels, and the
/// one way a command ends with an error (<see cref="Fail(ErrorRecord)"/>).
/// </summary>
public abstract class PgUsersCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the pipeline is stopped; pass it to every database call.</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Ends the command with a terminating error. What the command holds is let go first (its own
    /// transaction rolled back, its connection returned), so nothing is half-written.
    /// </summary>
    private protected void Fail(ErrorRecord record)
    {
        Abandon(record.Exception);
        ThrowTerminatingError(record);
    }

    /// <summary>Ends the command with the error <see cref="DbErrors"/> makes of <paramref name="exception"/>; a Ctrl+C stops the pipeline instead.</summary>
    private protected void Fail(Exception exception, object? target)
    {
        if (exception is OperationCanceledException && Cancellation.IsCancellationRequested)
        {
            Abandon(exception);
            throw new PipelineStoppedException();
        }
        Fail(DbErrors.Record(exception, target));
    }

    /// <summary>
    /// A URL that cannot be used: PgUsers.InvalidUrl, targeting the wrong part's name (the text around it
    /// could be the password); non-terminating for one piped item, so the rest still flow.
    /// </summary>
    private protected void ReportInvalidUrl(DbConfigurationException problem)
    {
        var record = new ErrorRecord(problem, "PgUsers.InvalidUrl", ErrorCategory.InvalidArgument, problem.ParamName);
        if (MyInvocation.ExpectingInput) WriteError(record);
        else Fail(record);
    }

    /// <summary>Called before a terminating error leaves the command: let go of what it holds.</summary>
    private protected virtual void Abandon(Exception reason) => Release();

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
