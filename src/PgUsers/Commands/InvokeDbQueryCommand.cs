using System.Diagnostics;
using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>Runs raw SQL; rows stream into the pipeline as objects (SQLAlchemy's session.execute(text(...))).</summary>
[Cmdlet(VerbsLifecycle.Invoke, "DbQuery", DefaultParameterSetName = "Rows")]
[OutputType(typeof(DbRow), ParameterSetName = new[] { "Rows" })]
[OutputType(typeof(object), ParameterSetName = new[] { "Scalar" })]
[OutputType(typeof(long), ParameterSetName = new[] { "NonQuery" })]
public sealed class InvokeDbQueryCommand : DbCmdlet
{
    private const int BatchSize = 1000;
    private readonly List<IReadOnlyList<KeyValuePair<string, object?>>> _pending = new();
    private LinkLease? _pipelineLease;
    private long _pipelineRows;
    private long _pipelineCount;
    private Stopwatch? _pipelineClock;

    /// <summary>The SQL text; @name and :name are bound parameters.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = "";

    /// <summary>Parameter values: a hashtable, or an object whose properties name them.</summary>
    [Parameter(Position = 1)]
    public object? Parameters { get; set; }

    /// <summary>Pipeline input: the statement runs once per object, its properties as parameters, all in one transaction.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Return the first column of the first row only.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Scalar")]
    public SwitchParameter Scalar { get; set; }

    /// <summary>Return the number of rows affected instead of rows.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "NonQuery")]
    public SwitchParameter NonQuery { get; set; }

    /// <summary>Seconds before the server cancels the statement (0 = no limit).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? CommandTimeout { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (MyInvocation.ExpectingInput)
        {
            QueueInput();
            return;
        }
        RunOnce();
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_pipelineLease is not { } lease) return;
        try
        {
            Flush(lease);
            lease.CommitIfOwned();
            WriteVerbose($"{_pipelineCount} executions, {_pipelineRows} rows affected, in {_pipelineClock!.Elapsed.TotalMilliseconds:0.0} ms (one transaction).");
            if (NonQuery) WriteObject(_pipelineRows);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Terminate(e, Query);
        }
        finally
        {
            ReleasePipelineLease();
        }
    }

    private void QueueInput()
    {
        try
        {
            if (_pipelineLease is null)
            {
                _pipelineClock = Stopwatch.StartNew();
                WriteVerbose($"Running for each input object: {Query}");
                var lease = OpenLink();
                _pipelineLease = lease;
                lease.BeginIfOwned();
            }
            var values = ParameterValues.From(Parameters);
            values.AddRange(ParameterValues.From(InputObject));
            _pending.Add(values);
            _pipelineCount++;
            if (_pending.Count >= BatchSize) Flush(_pipelineLease.Value);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ReleasePipelineLease();
            Terminate(e, InputObject);
        }
    }

    private void Flush(LinkLease lease)
    {
        if (_pending.Count == 0) return;
        _pipelineRows += lease.Link.ExecuteBatched(Query, _pending, CommandTimeout, Cancellation);
        _pending.Clear();
    }

    private void ReleasePipelineLease()
    {
        _pipelineLease?.Dispose();
        _pipelineLease = null;
    }

    private void RunOnce()
    {
        var clock = Stopwatch.StartNew();
        WriteVerbose(Query);
        try
        {
            var statement = new DbStatement(Query, ParameterValues.From(Parameters), CommandTimeout);
            // No explicit BEGIN: the whole text goes in one protocol round (one Sync), which
            // PostgreSQL runs as one implicit transaction — all statements commit or none do.
            using var lease = OpenLink();
            if (Scalar)
            {
                WriteObject(lease.Link.ExecuteScalar(statement, Cancellation));
                WriteVerbose($"Scalar in {clock.Elapsed.TotalMilliseconds:0.0} ms.");
            }
            else if (NonQuery)
            {
                long affected = lease.Link.ExecuteNonQuery(statement, Cancellation);
                WriteVerbose($"{affected} rows affected in {clock.Elapsed.TotalMilliseconds:0.0} ms.");
                WriteObject(affected);
            }
            else
            {
                long rows = StreamRows(lease.Link, statement);
                WriteVerbose($"{rows} rows in {clock.Elapsed.TotalMilliseconds:0.0} ms.");
            }
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Terminate(e, Query);
        }
    }

    private long StreamRows(IDbLink link, DbStatement statement)
    {
        long count = 0;
        using var reader = link.ExecuteReader(statement, Cancellation);
        using var rows = new Prefetch<DbRow>(RowShape.Rows(reader));
        foreach (var batch in rows.Batches(Cancellation))
        {
            WriteObject(batch, enumerateCollection: true);
            count += batch.Length;
        }
        return count;
    }
}
