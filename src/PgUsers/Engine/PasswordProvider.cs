using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;

namespace PgUsers.Engine;

/// <summary>
/// New-DbEngine -PasswordProvider: the script block that gives the password (a short-lived token, say) for each
/// new physical connection. The pool asks on whatever thread opens a connection — a pipeline thread of any
/// runspace sharing the engine — and a script block must only run on the runspace it belongs to. So the block
/// is re-created from its text in a runspace of its own, made on first use and kept for the engine's life, and
/// called by one thread at a time. It sees environment variables and the modules it loads, not the variables of
/// the script that made the engine.
/// </summary>
internal sealed class PasswordProvider : IDisposable
{
    private readonly string _script;
    private readonly object _gate = new();
    private Runspace? _runspace;
    private bool _disposed;

    public PasswordProvider(ScriptBlock block) => _script = block.ToString();

    /// <summary>Runs the block with the host and user name; its last output (a string or SecureString) is the password.</summary>
    public string GetPassword(string host, string username)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _runspace ??= Open();
            using var shell = PowerShell.Create();
            shell.Runspace = _runspace;
            shell.AddScript(_script).AddArgument(host).AddArgument(username);
            System.Collections.ObjectModel.Collection<PSObject> output;
            try
            {
                output = shell.Invoke();
            }
            catch (RuntimeException e)
            {
                throw Failed(e.Message);
            }
            if (shell.HadErrors && shell.Streams.Error.Count > 0)
            {
                throw Failed(shell.Streams.Error[0].ToString());
            }
            string? password = (output.LastOrDefault()?.BaseObject) switch
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
    }

    private static Runspace Open()
    {
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Name = "PgUsers password provider";
        runspace.Open();
        return runspace;
    }

    private static DbConnectionException Failed(string why) => new($"The -PasswordProvider script block failed: {why}", inner: null);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _runspace?.Dispose();
            _runspace = null;
        }
    }
}
