using System.Management.Automation;

namespace PgUsers.Benchmarks;

/// <summary>The cost of calling a binary cmdlet at all: same parameter shape as Invoke-DbQuery -Scalar, no work.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "BenchEmpty")]
public sealed class InvokeBenchEmptyCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Query { get; set; } = "";

    [Parameter]
    public SwitchParameter Scalar { get; set; }

    protected override void ProcessRecord() => WriteObject(1);
}
