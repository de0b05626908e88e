using System.Collections;
using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Writes pipeline objects into a table with binary COPY, in one transaction: every row lands, or none
/// does. Properties bind to columns by name (exact, then any case, then ignoring underscores), values
/// are converted strictly by each column's type, and names are resolved through the catalog.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "DbTable", SupportsShouldProcess = true)]
[OutputType(typeof(DbRow))]
public sealed class WriteDbTableCommand : DbCmdlet
{
    private const int ProgressEvery = 10_000;
    // Objects held while an upstream reader in the same session still has the connection.
    private readonly List<object?> _waiting = new();
    private TableDescription? _table;
    private TableBinder? _binder;
    private TableLoad? _load;
    private TableConflict? _conflict;
    private bool _declined;
    private long _read;
    private long _queued;
    private BatchProgress? _progress;

    /// <summary>The table: its name as SQL resolves it (schema.table, "Quoted"), or as written (capitals, spaces, dots) in the search_path or -Schema.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    /// <summary>The table's schema, taken as written; -Table is then the name as written too.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    /// <summary>A row per pipeline object: PSCustomObjects, hashtables, Import-Csv rows, DbRows, DataRows or any object's properties. Given by name, a collection (an array, a list, a DataTable) is a row per item.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Property names sent to columns whatever their names: @{ property = 'column' }.</summary>
    [Parameter]
    public Hashtable? ColumnMap { get; set; }

    /// <summary>Leave out properties that name no column, instead of refusing the record.</summary>
    [Parameter]
    public SwitchParameter IgnoreUnknownProperties { get; set; }

    /// <summary>Write the valid records and one error per invalid one, instead of failing the whole write.</summary>
    [Parameter]
    public SwitchParameter SkipInvalid { get; set; }

    /// <summary>What to do when a row's key is already in the table: Error (default), Skip (keep the stored row) or Update.</summary>
    [Parameter]
    public TableConflictAction OnConflict { get; set; } = TableConflictAction.Error;

    /// <summary>The key -OnConflict checks: the columns of a unique constraint (the primary key unless given).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ConflictColumns { get; set; }

    /// <summary>Empty the table first, in the same transaction: the input replaces its contents.</summary>
    [Parameter]
    public SwitchParameter Truncate { get; set; }

    /// <summary>Return the rows as stored, with defaults and identities filled in.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Create the table when it does not exist, with a column per property of the first object, typed by its value.</summary>
    [Parameter]
    public SwitchParameter AutoCreate { get; set; }

    /// <summary>With -AutoCreate: the columns of the new table's primary key.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? PrimaryKey { get; set; }

    /// <summary>Store the given values of GENERATED ALWAYS identity columns (OVERRIDING SYSTEM VALUE) instead of refusing them.</summary>
    [Parameter]
    public SwitchParameter KeepIdentity { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (_declined) return;
        // -InputObject $rows does what $rows | Write-DbTable does: a collection given by name is its items, as a
        // pipeline would unroll it (a DataTable its rows). Each item is then read without PowerShell binding it.
        var items = MyInvocation.ExpectingInput ? null : LanguagePrimitives.GetEnumerable(InputObject);
        if (items is null)
        {
            Take(InputObject);
            return;
        }
        int count = 0;
        foreach (var item in items)
        {
            if (_declined) return;
            if (++count % 1000 == 0 && Stopping) throw new PipelineStoppedException();
            Take(item);
        }
    }

    private void Take(object? input)
    {
        if (_load is null && ConnectionBusy)
        {
            _waiting.Add(input);
            return;
        }
        Handle(input);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        try
        {
            foreach (var input in _waiting) Handle(input);
            _waiting.Clear();
            if (_load is null || _declined) return;
            _progress?.Show($"Writing {_queued} rows into {_table!.QuotedName}");
            var refused = SkipInvalid ? new List<(long Record, DbSqlException Error)>() : null;
            var (inserted, updated) = _load.Finish(_conflict!, KeepIdentity, PassThru ? WriteRows : null, refused);
            _load.Dispose();
            _load = null;
            // Records the server refused, after those refused as they were read: each in record order.
            foreach (var (record, error) in refused ?? new()) WriteError(NotWritten(record, error.ColumnName, error, skipped: true));
            long taken = _queued - (refused?.Count ?? 0);
            string summary = PassThru ? $"Wrote {taken} rows into {_table!.QuotedName}"
                : $"Wrote {inserted} rows into {_table!.QuotedName}" + (updated > 0 ? $", updated {updated}" : "")
                  + (taken - inserted - updated > 0 ? $", {taken - inserted - updated} already there (skipped)" : "");
            CompleteUnit(summary);
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            FailLoad(e);
        }
        finally
        {
            ReleaseUnit();
            _progress?.Dispose();
        }
    }

    private void Handle(object? input)
    {
        try
        {
            if (_binder is null) Prepare(input);
            if (_declined) return;
            var record = _binder!.Bind(input);
            _read++;
            if (record.Problem is not null)
            {
                var error = record.TableError(SkipInvalid, input);
                if (!SkipInvalid) Fail(error);
                WriteError(error);
            }
            else
            {
                _load!.Add(record);
                _queued++;
            }
            if (_read % ProgressEvery == 0) Progress.Show($"{_read} records read, {_queued} queued");
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            FailLoad(e);
        }
    }

    /// <summary>Finds (or creates) the table, asks once whether to write it, and opens the load.</summary>
    private void Prepare(object? first)
    {
        Unit.Begin();
        var link = Unit.Link;
        var name = TableName.Resolve(link, Table, Schema, Cancellation);
        if (name is null)
        {
            if (!AutoCreate)
            {
                Fail(DbErrors.Record("PgUsers.TableNotFound", ErrorCategory.ObjectNotFound,
                    $"There is no table '{Table}'{(Schema is null ? "" : $" in schema '{Schema}'")} (pass -AutoCreate to create it from the first object's properties).", Table));
            }
            name = TableName.New(link, Table, Schema, Cancellation);
            string ddl = TableDdl.CreateTable(name, AutoColumns(first), PrimaryKey);
            WriteVerbose(ddl);
            if (!ShouldProcess(ddl, "Create table"))
            {
                _declined = true;
                return;
            }
            link.ExecuteNonQuery(new DbStatement(ddl), Cancellation);
        }
        _table = TableCatalog.Describe(link, name, Cancellation);
        var map = Map(_table);
        _conflict = new TableConflict(OnConflict, ConflictKey(_table));
        if (!ShouldProcess(_table.QuotedName, Truncate ? "Replace the rows of table" : "Write rows into table"))
        {
            _declined = true;
            return;
        }
        if (Truncate) link.ExecuteNonQuery(new DbStatement("TRUNCATE " + _table.QuotedName), Cancellation);
        _binder = new TableBinder(_table, map, IgnoreUnknownProperties, KeepIdentity);
        // -SkipInvalid stages so that the records the server refuses can be found and left out.
        bool staged = SkipInvalid || OnConflict != TableConflictAction.Error || PassThru || TableLoad.NeedsStaging(_table);
        _load = new TableLoad(link, _table, staged, Cancellation);
    }

    /// <summary>The new table's columns: one per property of the first object (renamed by -ColumnMap), typed by its value.</summary>
    private List<(string Name, string SqlType)> AutoColumns(object? first)
    {
        var columns = new List<(string, string)>();
        object? target = ColumnValues.Unwrap(first);
        IEnumerable<(string Name, object? Value)> properties = target switch
        {
            IDictionary dictionary => dictionary.Cast<DictionaryEntry>().Select(e => (e.Key?.ToString() ?? "", e.Value)),
            System.Data.DataRow row => row.Table.Columns.Cast<System.Data.DataColumn>().Select(c => (c.ColumnName, (object?)row[c])),
            null or string or ValueType => Array.Empty<(string, object?)>(),
            _ => PSObject.AsPSObject(first!).Properties.Select(p => (p.Name, (object?)p.Value)),
        };
        foreach (var (name, value) in properties)
        {
            string column = ColumnMap?[name] is { } mapped ? mapped.ToString()! : name;
            columns.Add((column, TableDdl.SqlTypeOf(value)));
        }
        if (columns.Count == 0)
        {
            Fail(DbErrors.Argument("PgUsers.NothingToCreate", $"-AutoCreate needs an object with properties to make the columns of '{Table}' from.", first));
        }
        return columns;
    }

    /// <summary>-ColumnMap resolved: each property's column, which must exist.</summary>
    private Dictionary<string, TableColumn> Map(TableDescription table)
    {
        var map = new Dictionary<string, TableColumn>(StringComparer.OrdinalIgnoreCase);
        if (ColumnMap is null) return map;
        foreach (DictionaryEntry entry in ColumnMap)
        {
            string wanted = entry.Value?.ToString() ?? "";
            var column = table.Match(wanted, out _);
            if (column is null)
            {
                Fail(DbErrors.Argument("PgUsers.ColumnNotFound",
                    $"-ColumnMap sends {entry.Key} to '{wanted}', which is no column of {table.QuotedName} (columns: {string.Join(", ", table.Columns.Select(c => c.Name))}).", wanted));
            }
            map[entry.Key?.ToString() ?? ""] = column!;
        }
        return map;
    }

    /// <summary>The key -OnConflict uses: -ConflictColumns, which must be the primary key or a unique constraint, else the primary key.</summary>
    private List<TableColumn> ConflictKey(TableDescription table)
    {
        if (OnConflict == TableConflictAction.Error) return new List<TableColumn>();
        var names = ConflictColumns?.Select(n => table.Match(n, out _)?.Name ?? n).ToList() ?? table.PrimaryKey.ToList();
        var keys = table.UniqueKeys.Prepend(table.PrimaryKey).Where(k => k.Count > 0);
        if (names.Count == 0 || !keys.Any(k => k.OrderBy(n => n, StringComparer.Ordinal).SequenceEqual(names.OrderBy(n => n, StringComparer.Ordinal))))
        {
            Fail(DbErrors.Argument("PgUsers.NoConflictKey", names.Count == 0
                ? $"-OnConflict {OnConflict} needs a key, and {table.QuotedName} has no primary key: pass -ConflictColumns naming the columns of a unique constraint."
                : $"-ConflictColumns {string.Join(", ", ConflictColumns ?? Array.Empty<string>())} are not the columns of the primary key or a unique constraint of {table.QuotedName}.",
                table.QuotedName));
        }
        return names.Select(n => table.Column(n)!).ToList();
    }

    private void WriteRows(IRowReader reader)
    {
        foreach (var row in RowShape.Rows(reader)) WriteObject(row);
    }

    /// <summary>A failed load: a COPY error names the input record the server refused; anything else as it came.</summary>
    private void FailLoad(Exception e)
    {
        if (e is DbSqlException sql && _load?.Culprit(sql) is { } culprit) Fail(NotWritten(culprit.Record, culprit.Column, sql, skipped: false));
        Fail(e, _table?.QuotedName ?? Table);
    }

    /// <summary>The error for an input record the server refused: the whole load's failure, or (-SkipInvalid) one skipped record.</summary>
    private ErrorRecord NotWritten(long record, string? column, DbSqlException sql, bool skipped) => new(new ArgumentException(
        $"Input record {record} was not written: {sql.MessageText}{(column is null ? "" : $" (column {column})")}.{(skipped ? "" : " Nothing was written.")}", sql),
        "PgUsers.Sql." + sql.SqlState, DbErrors.CategoryOf(sql.SqlState), _table?.QuotedName);

    /// <inheritdoc />
    private protected override void ReleaseWork()
    {
        _load?.Dispose();
        _load = null;
    }

    private BatchProgress Progress => _progress ??= new BatchProgress(this, 1, "Write-DbTable", "Reading records");
}
