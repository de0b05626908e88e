using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PgUsers.Host;

// Usage: PgUsers.Host <script.ps1> [args...]  — exit code 0 when the script ran without error.
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: PgUsers.Host <script.ps1> [arguments]");
    return 2;
}

var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var shell = PowerShell.Create();
shell.Runspace = runspace;
shell.AddCommand(Path.GetFullPath(args[0]));
foreach (var argument in args.Skip(1)) shell.AddArgument(argument);
shell.AddCommand("Out-Default");
try
{
    shell.Invoke();
}
catch (RuntimeException e)
{
    Console.Error.WriteLine($"{e.ErrorRecord.FullyQualifiedErrorId}: {e.Message}");
    Console.Error.WriteLine(e.ErrorRecord.InvocationInfo?.PositionMessage);
    return 1;
}
foreach (var error in shell.Streams.Error)
{
    Console.Error.WriteLine($"{error.FullyQualifiedErrorId}: {error}");
}
return shell.HadErrors ? 1 : host.ExitCode;
