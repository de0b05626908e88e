using System.Management.Automation;
using Npgsql;

namespace PgUsers.Benchmarks;

/// <summary>
/// What SimplySql does for Invoke-SqlScalar: a cmdlet call that runs the query on one connection opened
/// before the loop and kept open across calls (no pool checkout, no reset). Same parameter shape as the empty cmdlet.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "BenchOpenConnection")]
public sealed class InvokeBenchOpenConnectionCommand : PSCmdlet
{
    /// <summary>The open connection every call uses; the suite opens it and closes it.</summary>
    internal static NpgsqlConnection? Connection { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    public string Query { get; set; } = "";

    [Parameter]
    public SwitchParameter Scalar { get; set; }

    protected override void ProcessRecord()
    {
        using var command = new NpgsqlCommand(Query, Connection ?? throw new InvalidOperationException("No open connection."));
        WriteObject(command.ExecuteScalar());
    }
}
