using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PgUsers.Benchmarks;

/// <summary>A runspace with out/PgUsers imported as a user imports it, plus the benchmark's own reference cmdlets.</summary>
internal sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;

    public PsSession(string manifest)
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Invoke-BenchEmpty", typeof(InvokeBenchEmptyCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Write-BenchObjects", typeof(WriteBenchObjectsCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Receive-BenchObjects", typeof(ReceiveBenchObjectsCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Invoke-BenchOpenConnection", typeof(InvokeBenchOpenConnectionCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Receive-BenchNotification", typeof(ReceiveBenchNotificationCommand), null));
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run($"Import-Module '{manifest}' -ErrorAction Stop");
    }

    /// <summary>Runs a script; any error (terminating or written) fails the benchmark.</summary>
    public Collection<PSObject> Run(string script)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        var output = shell.Invoke();
        if (shell.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException($"{script}\n  failed: {shell.Streams.Error[0]}");
        }
        return output;
    }

    public T Scalar<T>(string script) => (T)Run(script)[0].BaseObject;

    public void Set(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    public bool HasCommand(string name) => Scalar<bool>($"[bool](Get-Command '{name}' -ErrorAction Ignore)");

    public void Dispose() => _runspace.Dispose();
}
