using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// The progress bar of a command that works in batches: nothing shows until <see cref="Show"/> is
/// called (small jobs stay quiet), and Dispose completes a bar that was shown.
/// </summary>
internal sealed class BatchProgress : IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private ProgressRecord _record;
    private bool _shown;

    public BatchProgress(Cmdlet cmdlet, int activityId, string activity, string status)
    {
        _cmdlet = cmdlet;
        _activityId = activityId;
        _activity = activity;
        _record = new ProgressRecord(activityId, activity, status);
    }

    /// <param name="status">What has been done so far.</param>
    /// <param name="percent">Percent done, or -1 when the total is not known.</param>
    /// <param name="operation">What is being worked on (a file), shown under the bar.</param>
    public void Show(string status, int percent = -1, string? operation = null)
    {
        // A new record each time: a host may keep the ones it was given (the Progress stream of a hosted runspace does).
        _record = new ProgressRecord(_activityId, _activity, status)
        {
            PercentComplete = percent,
            CurrentOperation = operation ?? _record.CurrentOperation,
        };
        _cmdlet.WriteProgress(_record);
        _shown = true;
    }

    public void Dispose()
    {
        if (!_shown) return;
        _shown = false;
        try
        {
            _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, _record.StatusDescription)
            {
                CurrentOperation = _record.CurrentOperation,
                RecordType = ProgressRecordType.Completed,
            });
        }
        catch (PipelineStoppedException)
        {
            // A stopped pipeline takes its progress bars down with it.
        }
    }
}
