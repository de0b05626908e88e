using System.Diagnostics;
using System.Management.Automation;

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
    [NoUrlEcho]
    [ValidateRange(0, int.MaxValue)]
    public int? CommandTimeout { get; set; }

    /// <summary>How json and jsonb values come back: Object (PSCustomObjects and arrays, the default) or String (their text).</summary>
    [Parameter]
    [ValidateSet("Object", "String")]
    public string JsonAs { get; set; } = "Object";

    private bool JsonAsText => string.Equals(JsonAs, "String", StringComparison.OrdinalIgnoreCase);

    // SQL may quote a connection URL (a config table, dblink): its password is never echoed.
    private string ShownQuery => UrlSecrets.Mask(Query);

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
        if (!HasUnit) return;
        try
        {
            Flush(Unit.Link);
            string what = NonQuery ? "rows affected" : Scalar ? "values" : "rows returned";
            CompleteUnit($"{_pipelineCount} executions, {_pipelineRows} {what}, in {_pipelineClock!.Elapsed.TotalMilliseconds:0.0} ms");
            if (NonQuery) WriteObject(_pipelineRows);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, ShownQuery);
        }
    }

    private void QueueInput()
    {
        try
        {
            if (!HasUnit)
            {
                _pipelineClock = Stopwatch.StartNew();
                WriteVerbose($"Running for each input object: {ShownQuery}");
                Unit.Begin();
            }
            // -Parameters, given explicitly, win over a same-named property of the input object.
            var values = ParameterValues.From(Parameters);
            var names = new HashSet<string>(values.Select(v => v.Key), StringComparer.OrdinalIgnoreCase);
            values.AddRange(ParameterValues.From(InputObject).Where(v => names.Add(v.Key)));
            _pending.Add(values);
            _pipelineCount++;
            // Inside a session an upstream command may still be reading on the same connection: wait for it.
            if (_pending.Count >= BatchSize && !ConnectionBusy) Flush(Unit.Link);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, InputObject);
        }
    }

    private void Flush(IDbLink link)
    {
        if (_pending.Count == 0) return;
        if (NonQuery)
        {
            _pipelineRows += link.ExecuteBatched(Query, _pending, CommandTimeout, Cancellation);
        }
        else
        {
            using var reader = link.ExecuteBatchedReader(Query, _pending, CommandTimeout, Cancellation, JsonAsText);
            _pipelineRows += Scalar ? WriteScalars(reader, _pending.Count) : WriteRows(reader, link);
        }
        _pending.Clear();
    }

    /// <summary>One value per execution, in input order: its first row's first column, or null (as -Scalar alone).</summary>
    private long WriteScalars(IRowReader reader, int executions)
    {
        int next = 0;
        while (reader.Read())
        {
            int execution = reader.ResultIndex;
            if (execution < next) continue;
            for (; next < execution; next++) WriteObject(null);
            WriteObject(reader.GetValues()[0]);
            next++;
        }
        for (; next < executions; next++) WriteObject(null);
        return executions;
    }

    private void RunOnce()
    {
        long started = Stopwatch.GetTimestamp();
        // Asked once: with verbose off (the usual case) neither line is formatted nor looks the preference up.
        bool verbose = VerboseGate.IsOpen(this);
        if (verbose) WriteVerbose(ShownQuery);
        try
        {
            var parameters = Parameters is null ? null : ParameterValues.From(Parameters);
            var statement = new DbStatement(Query, parameters, CommandTimeout) { JsonAsText = JsonAsText };
            // No explicit BEGIN: the whole text goes in one protocol round (one Sync), which
            // PostgreSQL runs as one implicit transaction — all statements commit or none do.
            var link = Unit.Link;
            if (Scalar)
            {
                object? value = link.ExecuteScalar(statement, Cancellation);
                CompleteUnit();
                if (verbose) WriteVerbose($"Scalar in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms.");
                WriteObject(value);
            }
            else if (NonQuery)
            {
                long affected = link.ExecuteNonQuery(statement, Cancellation);
                CompleteUnit();
                if (verbose) WriteVerbose($"{affected} rows affected in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms.");
                WriteObject(affected);
            }
            else
            {
                long rows;
                using (var reader = link.ExecuteReader(statement, Cancellation)) rows = WriteRows(reader, link);
                CompleteUnit();
                if (verbose) WriteVerbose($"{rows} rows in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms.");
            }
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, ShownQuery);
        }
    }

    private long WriteRows(IRowReader reader, IDbLink link)
    {
        long count = 0;
        using var rows = new Prefetch<object>(RowShape.Rows(reader), link.InterruptRead, Notices);
        foreach (var batch in rows.Batches(Cancellation))
        {
            WriteObject(batch, enumerateCollection: true);
            count += batch.Length;
        }
        return count;
    }
}
