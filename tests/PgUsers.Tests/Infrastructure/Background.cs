using System.Diagnostics;

namespace PgUsers.Tests.Infrastructure;

/// <summary>A script running on its own runspace, to hold connections concurrently or to be stopped like Ctrl+C.</summary>
public sealed class Background : IDisposable
{
    private readonly PowerShell _shell;
    private readonly IAsyncResult _pending;

    private Background(Pwsh host, string script)
    {
        Host = host;
        _shell = PowerShell.Create();
        _shell.Runspace = host.Runspace;
        _shell.AddScript(script);
        _pending = _shell.BeginInvoke();
    }

    public Pwsh Host { get; }

    /// <summary>Starts <paramref name="script"/> in a fresh runspace (module imported) with the given variables.</summary>
    public static Background Start(string script, params (string Name, object? Value)[] variables)
    {
        var host = new Pwsh();
        foreach (var (name, value) in variables) host.Set(name, value);
        return new Background(host, script);
    }

    public bool IsCompleted => _pending.IsCompleted;

    /// <summary>Waits for the script; returns its result (errors captured).</summary>
    public PwshResult Wait(TimeSpan? timeout = null)
    {
        if (!_pending.AsyncWaitHandle.WaitOne(timeout ?? TimeSpan.FromSeconds(60)))
        {
            throw new Xunit.Sdk.XunitException("The background script did not finish in time.");
        }
        System.Collections.ObjectModel.Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            output = new(_shell.EndInvoke(_pending).ToList());
        }
        catch (Exception e)
        {
            terminating = e;
        }
        return new PwshResult(output, _shell.Streams.Error.ToList(), _shell.Streams.Verbose.Select(v => v.Message).ToList(),
            new(), new(), _shell.Streams.Progress.ToList(), new(), terminating);
    }

    /// <summary>What Ctrl+C does: stops the pipeline.</summary>
    public void Stop() => _shell.Stop();

    /// <summary>Polls <paramref name="condition"/> until true or the timeout passes.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            Thread.Sleep(50);
        }
        return condition();
    }

    public void Dispose()
    {
        if (!_pending.IsCompleted) _shell.Stop();
        _shell.Dispose();
        Host.Dispose();
    }
}
