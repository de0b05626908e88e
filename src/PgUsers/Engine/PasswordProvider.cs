using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;

namespace PgUsers.Engine;

/// <summary>
/// New-DbEngine -PasswordProvider: the script block that gives the password (a short-lived token, say) for each
/// new physical connection. It keeps PowerShell's meaning of a script block: the block itself is invoked, so a
/// closure (GetNewClosure) sees what it captured and a plain block the session state it was made in (the
/// engine-making runspace's script scope); a block made from text runs in the caller's. It runs on the pipeline
/// thread of the command that needs the connection (<see cref="CallerThread"/>), one call at a time per engine.
/// </summary>
internal sealed class PasswordProvider : IDisposable
{
    private readonly ScriptBlock _block;
    private readonly Runspace? _owner;
    private readonly object _gate = new();
    private bool _disposed;

    public PasswordProvider(ScriptBlock block)
    {
        _block = block;
        _owner = Runspace.DefaultRunspace;
    }

    /// <summary>For Npgsql's asynchronous open: the call runs on the waiting caller's thread.</summary>
    public Task<string> GetPasswordAsync(string host, string username) => CallerThread.Current is { } caller
        ? caller.Run(() => GetPassword(host, username))
        : Task.FromResult(GetPassword(host, username));

    /// <summary>Runs the block with the host and user name; its last output (a string or SecureString) is the password.</summary>
    public string GetPassword(string host, string username)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = Runspace.DefaultRunspace;
            // A thread of no runspace (not a command's): the engine-making runspace, as an event handler would run.
            var runspace = current ?? _owner;
            if (runspace is null || runspace.RunspaceStateInfo.State != System.Management.Automation.Runspaces.RunspaceState.Opened)
            {
                throw Failed("no open runspace to run it in (the runspace that made the engine is closed)");
            }
            if (current is null) Runspace.DefaultRunspace = runspace;
            try
            {
                return Password(Invoke(host, username));
            }
            finally
            {
                if (current is null) Runspace.DefaultRunspace = null;
            }
        }
    }
    private Collection<PSObject> Invoke(string host, string username)
    {
        // Unbound, so it runs in the caller's session state; the block keeps its own. 2>&1: an error it writes is output we can see.
        var call = ScriptBlock.Create("param($provider, $hostName, $userName) & $provider $hostName $userName 2>&1");
        try
        {
            return call.Invoke(_block, host, username);
        }
        catch (RuntimeException e) when (e is not PipelineStoppedException)
        {
            throw Failed(e.ErrorRecord?.Exception?.Message ?? e.Message);
        }
    }

    private static string Password(Collection<PSObject> output)
    {
        if (output.Select(o => o?.BaseObject).OfType<ErrorRecord>().FirstOrDefault() is { } error)
        {
            throw Failed(error.Exception?.Message ?? error.ToString());
        }
        string? password = output.LastOrDefault()?.BaseObject switch
        {
            string text => text.TrimEnd('\r', '\n'),
            SecureString secure => new NetworkCredential("", secure).Password,
            _ => null,
        };
        // Never the value itself in a message: it is a secret even when it is wrong.
        return string.IsNullOrEmpty(password)
            ? throw Failed("it returned no password (its last output must be a non-empty string or SecureString)")
            : password;
    }

    private static DbPasswordProviderException Failed(string why) => new($"The -PasswordProvider script block failed: {UrlSecrets.Mask(why)}");

    public void Dispose()
    {
        lock (_gate) _disposed = true;
    }
}
