using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using PgUsers.Host;

// Usage: PgUsers.Host <script.ps1> [args...]. Exits as pwsh -File does: the script's `exit N`, else 1 when
// an error ended the script, else 0 (errors the script wrote or caught do not count).
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: PgUsers.Host <script.ps1> [arguments]");
    return 2;
}

string path = Path.GetFullPath(args[0]);
var script = Parser.ParseFile(path, out _, out var parseErrors);
if (parseErrors.Length > 0)
{
    foreach (var parseError in parseErrors) Console.Error.WriteLine($"{path}:{parseError.Extent.StartLineNumber}: {parseError.Message}");
    return 1;
}

var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var shell = PowerShell.Create();
shell.Runspace = runspace;
// Run as a script block parsed from the file (so $PSScriptRoot is the file's folder), not as the file
// command: an `exit N` in a script file stops only that file, while here it reaches the host (SetShouldExit).
shell.AddScript("param($__script, $__arguments) & $__script @__arguments")
    .AddArgument(script.GetScriptBlock())
    .AddArgument(args.Skip(1).ToArray());
shell.AddCommand("Out-Default");
int exitCode;
try
{
    shell.Invoke();
    exitCode = host.ExitCode;
}
catch (RuntimeException e)
{
    Console.Error.WriteLine($"{e.ErrorRecord.FullyQualifiedErrorId}: {e.Message}");
    Console.Error.WriteLine(e.ErrorRecord.InvocationInfo?.PositionMessage);
    exitCode = 1;
}
foreach (var error in shell.Streams.Error)
{
    Console.Error.WriteLine($"{error.FullyQualifiedErrorId}: {error}");
}
return exitCode;
