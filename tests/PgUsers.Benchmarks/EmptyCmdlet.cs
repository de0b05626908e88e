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

/// <summary>PowerShell's own floor for streaming: objects already in memory written one by one, no database.</summary>
[Cmdlet(VerbsCommunications.Write, "BenchObjects")]
public sealed class WriteBenchObjectsCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public object[] Items { get; set; } = Array.Empty<object>();

    protected override void ProcessRecord()
    {
        foreach (var item in Items) WriteObject(item);
    }
}

/// <summary>PowerShell's own floor for a sink: each piped object bound to a ValueFromPipeline parameter, then dropped.</summary>
[Cmdlet(VerbsCommunications.Receive, "BenchObjects")]
public sealed class ReceiveBenchObjectsCommand : PSCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    protected override void ProcessRecord()
    {
    }
}
