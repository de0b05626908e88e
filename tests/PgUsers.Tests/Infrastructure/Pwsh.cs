using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PgUsers.Tests.Infrastructure;

/// <summary>A runspace with PgUsers imported from out/PgUsers, the way a user imports it.</summary>
public sealed class Pwsh : IDisposable
{
    public Pwsh(bool import = true)
    {
        Runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        Runspace.Open();
        if (import) Run($"Import-Module '{Paths.Manifest}' -ErrorAction Stop");
    }

    public Runspace Runspace { get; }

    /// <summary>Sets a variable in the runspace.</summary>
    public Pwsh Set(string name, object? value)
    {
        Runspace.SessionStateProxy.SetVariable(name, value);
        return this;
    }

    public T Get<T>(string name) => (T)Unwrap(Runspace.SessionStateProxy.GetVariable(name))!;

    /// <summary>Runs a script; returns its output and every stream. Terminating errors are captured, not thrown.</summary>
    public PwshResult Invoke(string script, IDictionary<string, object?>? variables = null)
    {
        if (variables is not null)
        {
            foreach (var (name, value) in variables) Set(name, value);
        }
        using var shell = PowerShell.Create();
        shell.Runspace = Runspace;
        shell.AddScript(script);
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (Exception e)
        {
            terminating = e;
        }
        return new PwshResult(output, shell.Streams.Error.ToList(), shell.Streams.Verbose.Select(v => v.Message).ToList(),
            shell.Streams.Warning.Select(w => w.Message).ToList(), shell.Streams.Debug.Select(d => d.Message).ToList(),
            shell.Streams.Progress.ToList(), shell.Streams.Information.Select(i => i.ToString()).ToList(), terminating);
    }

    /// <summary>Runs a script that must succeed: throws on any error, returns the output.</summary>
    public Collection<PSObject> Run(string script)
    {
        var result = Invoke(script);
        if (result.Terminating is not null) throw new Xunit.Sdk.XunitException($"Script threw: {Describe(result.Terminating)}\n{script}");
        if (result.Errors.Count > 0) throw new Xunit.Sdk.XunitException($"Script wrote errors: {string.Join("; ", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e))}\n{script}");
        return result.Output;
    }

    /// <summary>Runs a script and returns the base objects of its output.</summary>
    public List<object?> Values(string script) => Run(script).Select(o => Unwrap(o)).ToList();

    public static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    private static string Describe(Exception e) => e is RuntimeException r ? $"{r.ErrorRecord.FullyQualifiedErrorId}: {r.Message}" : e.ToString();

    public void Dispose() => Runspace.Dispose();
}

public sealed record PwshResult(
    Collection<PSObject> Output,
    List<ErrorRecord> Errors,
    List<string> Verbose,
    List<string> Warnings,
    List<string> Debug,
    List<ProgressRecord> Progress,
    List<string> Information,
    Exception? Terminating)
{
    /// <summary>The error a user would catch: the terminating one, else the first written.</summary>
    public ErrorRecord? Error => Terminating is RuntimeException r ? r.ErrorRecord : Errors.FirstOrDefault();

    /// <summary>Every piece of text a user could see: output, all streams, errors and exception messages.</summary>
    public string AllText()
    {
        var parts = new List<string>();
        parts.AddRange(Output.Select(o => o?.ToString() ?? ""));
        parts.AddRange(Errors.SelectMany(e => new[] { e.ToString(), e.Exception.ToString(), e.TargetObject?.ToString() ?? "", e.ErrorDetails?.Message ?? "" }));
        parts.AddRange(Verbose);
        parts.AddRange(Warnings);
        parts.AddRange(Debug);
        parts.AddRange(Information);
        if (Terminating is not null) parts.Add(Terminating.ToString());
        return string.Join("\n", parts);
    }
}
