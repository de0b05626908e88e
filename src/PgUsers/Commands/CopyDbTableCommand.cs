using System.Diagnostics;
using System.Management.Automation;
using Column = PgUsers.Tables.CopyCatalog.Column;

namespace PgUsers.Commands;

/// <summary>
/// Copies a table or a query's rows into a table on another engine (or the same one), streaming binary
/// COPY TO on the source into COPY FROM on the destination: bytes only, no object per row. The
/// destination's part is one transaction (with -AutoCreate's CREATE and -Truncate's TRUNCATE): all or nothing.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "DbTable", SupportsShouldProcess = true, DefaultParameterSetName = "Table")]
[OutputType(typeof(DbTableCopyResult))]
public sealed class CopyDbTableCommand : DbCmdlet
{
    // Large enough that the per-read work (one call each way, the row count) is noise next to the bytes.
    private const int BufferBytes = 256 * 1024;
    private const long ProgressEvery = 8 * 1048576;

    private CommandUnit? _target;
    private IBinaryCopyIn? _copyIn;
    private IBinaryCopyOut? _copyOut;

    /// <summary>The source table: name, schema.name, or a quoted identifier.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Table")]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = "";

    /// <summary>The source table's schema, taken literally; -Table is then taken literally too.</summary>
    [Parameter(ParameterSetName = "Table")]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    /// <summary>The query whose rows to copy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Query")]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = "";

    /// <summary>Values for the query's @name or :name placeholders.</summary>
    [Parameter(ParameterSetName = "Query")]
    public object? Parameters { get; set; }

    /// <summary>Where the rows go: an engine, a URL, or a session (the copy joins its unit of work).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [CopyDestination]
    [ValidateNotNull]
    public object Destination { get; set; } = null!;

    /// <summary>The destination table; the source table's name when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationTable { get; set; }

    /// <summary>The destination table's schema, taken literally.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationSchema { get; set; }

    /// <summary>Empty the destination table first, in the same transaction.</summary>
    [Parameter]
    public SwitchParameter Truncate { get; set; }

    /// <summary>Create the destination table from the source's columns when it does not exist.</summary>
    [Parameter]
    public SwitchParameter AutoCreate { get; set; }

    /// <summary>Copy only these source columns.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Columns { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            Copy(clock);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, ParameterSetName == "Table" ? Table : Query);
        }
    }

    private void Copy(Stopwatch clock)
    {
        if (ParameterSetName == "Query" && DestinationTable is null)
        {
            Fail(DbErrors.Argument("PgUsers.DestinationTableRequired", "A -Query has no table name to reuse: pass -DestinationTable.", Query));
        }
        var destinationSession = Destination as DbSession;
        if (destinationSession is not null && ReferenceEquals(destinationSession, ActiveSession))
        {
            Fail(DbErrors.Argument("PgUsers.SameConnection",
                "The source and the destination are the same session, and one connection cannot run COPY TO and COPY FROM at once; use INSERT ... SELECT.", destinationSession));
        }

        var source = Unit.Link;
        CopyCatalog.Table? sourceTable = null;
        IReadOnlyList<Column> readable;
        string query = Query.TrimEnd().TrimEnd(';');
        var values = ParameterValues.From(Parameters);
        if (ParameterSetName == "Table")
        {
            sourceTable = CopyCatalog.Find(source, Table, Schema, Cancellation) ?? throw NotFound(Table, Schema, "source");
            // Generated columns are left out unless named, as COPY leaves them out.
            readable = Columns is null ? sourceTable.Columns.Where(c => !c.Generated).ToList() : sourceTable.Columns;
        }
        else
        {
            readable = CopyCatalog.Describe(source, new DbStatement(query, values), Cancellation);
        }
        var chosen = CopyColumns.Select(readable, Columns, out var problem);
        if (problem is not null) Fail(problem);

        _target = OpenTarget(destinationSession);
        var target = _target.Link;
        string targetName = DestinationTable ?? sourceTable!.Name.Name;
        string? targetSchema = DestinationSchema ?? (DestinationTable is null ? sourceTable!.Name.Schema : null);
        var targetTable = CopyCatalog.Find(target, targetName, targetSchema, Cancellation);
        string? create = null;
        string targetQuoted;
        IReadOnlyList<(Column From, Column To)> pairs;
        if (targetTable is null)
        {
            if (!AutoCreate) throw NotFound(targetName, targetSchema, "destination");
            var created = TableName.New(target, targetName, targetSchema, Cancellation);
            create = TableDdl.CreateTable(created, chosen.Select(c => (c.Name, c.SqlType)).ToList());
            targetQuoted = created.Quoted;
            pairs = chosen.Select(c => (c, c)).ToList();
        }
        else
        {
            targetQuoted = targetTable.Quoted;
            pairs = CopyColumns.Match(chosen, targetTable.Columns, targetQuoted, out problem);
            if (problem is not null) Fail(problem);
            if (sourceTable is not null && SameTable(source, sourceTable, target, targetTable))
            {
                Fail(DbErrors.Argument("PgUsers.SameTable",
                    $"The source and the destination are the same table, {targetQuoted}; copy it within the server with INSERT ... SELECT.", targetQuoted));
            }
        }

        string sourceName = sourceTable?.Quoted ?? "query";
        var engine = destinationSession?.Engine ?? (DbEngine)Destination;
        if (create is not null) WriteVerbose(create);
        string action = create is not null ? $"Create the table ({chosen.Count} columns) and copy the rows of {sourceName} into it"
            : Truncate ? $"Replace its rows with those of {sourceName}" : $"Copy the rows of {sourceName} into it";
        if (!ShouldProcess($"{targetQuoted} on engine {engine.Name}", action))
        {
            ReleaseUnit();
            return;
        }

        _target.Begin();
        if (create is not null) target.ExecuteNonQuery(new DbStatement(create), Cancellation);
        else if (Truncate) target.ExecuteNonQuery(new DbStatement($"TRUNCATE {targetQuoted}"), Cancellation);

        string columns = string.Join(", ", pairs.Select(p => p.From.Quoted));
        string? staging = null;
        string from;
        if (sourceTable is not null)
        {
            bool plain = sourceTable.Kind == 'r' && !chosen.Any(c => c.Generated);
            from = plain ? $"{sourceTable.Quoted} ({columns})" : $"(SELECT {columns} FROM {sourceTable.Quoted})";
        }
        else if (values.Count > 0)
        {
            // COPY takes no bound parameters: the rows go through a temporary table made by a statement that does.
            staging = $"pg_temp.\"pgusers_copy_{Guid.NewGuid():N}\"";
            Unit.Begin();
            source.ExecuteNonQuery(new DbStatement($"CREATE TEMP TABLE {staging} ON COMMIT DROP AS\n{query}\n", values), Cancellation);
            from = $"{staging} ({columns})";
        }
        else
        {
            // A line comment at the end of the query must not swallow the closing parenthesis.
            from = Columns is null ? $"(\n{query}\n)" : $"(SELECT {columns} FROM (\n{query}\n) q)";
        }
        string copyOut = $"COPY {from} TO STDOUT (FORMAT binary)";
        string copyIn = $"COPY {targetQuoted} ({string.Join(", ", pairs.Select(p => p.To.Quoted))}) FROM STDIN (FORMAT binary)";
        WriteVerbose($"Source: {copyOut}");
        WriteVerbose($"Destination: {copyIn}");

        var (rows, bytes) = Stream(source, copyOut, target, copyIn, targetQuoted, sourceTable?.EstimatedRows ?? 0);
        if (staging is not null) source.ExecuteNonQuery(new DbStatement($"DROP TABLE {staging}"), Cancellation);
        _target.Complete();
        bool inSession = _target.InSession;
        ReleaseUnit();
        WriteVerbose($"Copied {rows:N0} rows ({bytes / 1048576.0:0.0} MB) from {sourceName} into {targetQuoted} in {clock.Elapsed.TotalMilliseconds:0.0} ms" +
            (inSession ? " (in the destination session's transaction)." : " (committed as one transaction)."));
        WriteObject(new DbTableCopyResult(sourceName, targetQuoted, rows, bytes, clock.Elapsed, create is not null));
    }

    /// <summary>
    /// Pumps the source's COPY bytes into the destination's COPY, counting tuples as they pass; the source's
    /// estimated rows (the planner's, for a table; 0 or less when unknown) give the progress bar a percentage.
    /// </summary>
    private (long Rows, long Bytes) Stream(IDbLink source, string copyOut, IDbLink target, string copyIn, string targetQuoted, long estimate)
    {
        // The destination first: its lock is taken (or refused) before the source starts producing rows.
        _copyIn = target.BeginBinaryCopyIn(copyIn, Cancellation);
        _copyOut = source.BeginBinaryCopyOut(copyOut, Cancellation);
        var counter = new BinaryCopyCounter();
        var buffer = new byte[BufferBytes];
        long bytes = 0, reported = 0;
        using (var progress = new BatchProgress(this, 1, "Copy-DbTable", $"Copying into {targetQuoted}"))
        {
            int read;
            while ((read = _copyOut.Read(buffer)) > 0)
            {
                counter.Add(buffer.AsSpan(0, read));
                _copyIn.Write(buffer, read);
                bytes += read;
                if (bytes - reported >= ProgressEvery)
                {
                    reported = bytes;
                    progress.Show($"{counter.Rows:N0} rows, {bytes / 1048576.0:0.0} MB copied",
                        estimate > 0 ? (int)Math.Min(99, counter.Rows * 100 / estimate) : -1);
                }
            }
        }
        _copyOut.Dispose();
        _copyOut = null;
        var copying = _copyIn;
        _copyIn = null;
        copying.Complete();
        return (counter.Rows, bytes);
    }

    /// <summary>The destination's unit of work: the session's transaction, or a connection of the engine's own.</summary>
    private CommandUnit OpenTarget(DbSession? session)
    {
        string name = MyInvocation.MyCommand.Name;
        CommandUnit unit;
        if (session is not null)
        {
            unit = new CommandUnit(session.Link, session, name);
        }
        else
        {
            var engine = (DbEngine)Destination;
            if (engine.IsDisposed)
            {
                Fail(DbErrors.Record("PgUsers.EngineDisposed", ErrorCategory.InvalidOperation,
                    $"The destination engine '{engine.Name}' was removed; create a new one with New-DbEngine.", engine));
            }
            engine.WarnOnce(this);
            unit = new CommandUnit(engine.Acquire(Cancellation), null, name);
        }
        // The destination's notices (a trigger's RAISE NOTICE, say) reach the command's streams as the source's do.
        unit.Link.Notices = Notices.Handler;
        return unit;
    }

    /// <summary>
    /// True when both names mean one table of one server: TRUNCATE on one connection would then wait forever
    /// for the COPY TO on the other. The destination's server knows the source's backend when it is the same.
    /// </summary>
    private bool SameTable(IDbLink source, CopyCatalog.Table sourceTable, IDbLink target, CopyCatalog.Table targetTable)
    {
        if (sourceTable.Oid != targetTable.Oid || sourceTable.Database != targetTable.Database) return false;
        object?[] backend;
        using (var reader = source.ExecuteReader(new DbStatement("SELECT pg_backend_pid(), pg_postmaster_start_time()"), Cancellation))
        {
            reader.Read();
            backend = reader.GetValues();
        }
        return target.ExecuteScalar(new DbStatement(
            "SELECT pg_postmaster_start_time() = @started AND EXISTS (SELECT FROM pg_stat_activity WHERE pid = @pid)",
            new KeyValuePair<string, object?>[] { new("started", backend[1]), new("pid", backend[0]) }), Cancellation) is true;
    }

    private Exception NotFound(string name, string? schema, string side)
    {
        string shown = schema is null ? name : $"{schema}.{name}";
        Fail(DbErrors.Record("PgUsers.TableNotFound", ErrorCategory.ObjectNotFound,
            $"The {side} has no table '{shown}' (without -{(side == "source" ? "" : "Destination")}Schema the name is resolved as in SQL: schema.table, the search_path, \"Quoted\" for mixed case; else taken literally)" +
            (side == "destination" ? "; -AutoCreate creates it." : "."), shown));
        return null!;
    }

    /// <inheritdoc />
    private protected override void ReleaseWork()
    {
        // The COPYs first (the destination's fails on the server, the source's stops), then the destination's transaction.
        Interlocked.Exchange(ref _copyIn, null)?.Dispose();
        Interlocked.Exchange(ref _copyOut, null)?.Dispose();
        if (Interlocked.Exchange(ref _target, null) is { } target)
        {
            // A session's connection outlives the command: it must not keep pointing at it.
            if (Equals(target.Link.Notices, Notices.Handler)) target.Link.Notices = null;
            target.Dispose();
        }
    }
}
