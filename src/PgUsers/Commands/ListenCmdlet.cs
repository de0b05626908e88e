using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Base of Wait-/Register-DbNotification: the channels and the engine, checked before anything is
/// sent, and a <see cref="Listener"/> started on one connection of that engine's pool.
/// </summary>
public abstract class ListenCmdlet : PgUsersCmdlet
{
    /// <summary>The channels to listen on, taken literally (case and quotes kept).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Channel { get; set; } = Array.Empty<string>();

    /// <summary>The engine whose pool lends the listening connection (an engine or a URL); the session default when omitted.</summary>
    [Parameter]
    [EngineTransformation]
    [ValidateNotNull]
    public DbEngine? Engine { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        foreach (var name in Channel)
        {
            if (ChannelName.Problem(name) is { } problem) Fail(DbErrors.Argument("PgUsers.InvalidChannel", problem, name));
        }
    }

    /// <summary>A listener on the engine, listening already: a NOTIFY sent once this returns is not missed.</summary>
    private protected Listener StartListener(Action<string> warn)
    {
        var engine = EngineChoice.Resolve(Engine, this, out var error);
        if (error is not null) Fail(error);
        var listener = new Listener(engine!, Channel, warn);
        try
        {
            listener.Start(Cancellation);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            listener.Dispose();
            Fail(e, string.Join(", ", Channel));
        }
        WriteVerbose($"Listening on {listener.Names}.");
        return listener;
    }
}
