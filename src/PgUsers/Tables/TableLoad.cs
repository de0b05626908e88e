using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PgUsers.Tables;

/// <summary>
/// Write-DbTable's load into any described table, through the one COPY writer (<see cref="BackgroundCopy"/>).
/// <list type="bullet">
/// <item>Direct: COPY straight into the table, the columns the records carry (a column a record leaves out
/// gets its DEFAULT: when the set of columns changes, the COPY ends and another starts with the new list).</item>
/// <item>Staged (-OnConflict Skip/Update, -PassThru, or a column of a type only the server parses): COPY into a
/// temporary table, then one INSERT ... SELECT per set of columns given, with ON CONFLICT and RETURNING.</item>
/// </list>
/// Both run in the caller's transaction: a failure anywhere lands nothing.
/// </summary>
internal sealed class TableLoad : IDisposable
{
    // The server's CONTEXT for a refused row: COPY t, line 5, column qty: "x"
    private static readonly Regex s_copyLine = new(@"^COPY [^\n]*?, line (\d+)(?:, column ([^:\n]+))?", RegexOptions.CultureInvariant | RegexOptions.Multiline);
    private readonly IDbLink _link;
    private readonly TableDescription _table;
    private readonly TableColumn[] _writable;
    private readonly CancellationToken _cancellation;
    private readonly string? _stage;
    private BackgroundCopy? _copy;
    private bool[]? _present;          // the direct COPY's column set
    private int _presentCount;         // how many columns it has
    private long _copyFirstRow;        // rows sent before the current COPY
    private long _rows;                // rows sent
    private readonly List<long> _gaps = new();   // record numbers not sent (skipped), in order
    private long _lastRecord;

    public TableLoad(IDbLink link, TableDescription table, bool staged, CancellationToken cancellation)
    {
        _link = link;
        _table = table;
        _cancellation = cancellation;
        _writable = table.Columns.Where(c => !c.Generated).ToArray();
        if (!staged) return;
        _stage = "pg_temp." + TableName.Quote("pgusers_stage_" + Guid.NewGuid().ToString("N"));
        // Base types without the column's constraints (a domain's base, text for what only the server parses):
        // constraints and defaults apply when the rows move into the table.
        var definitions = _writable.Select(c => $"c{c.Ordinal} {StageType(c)}").Append("present text").Append("ord bigint");
        Run($"CREATE TEMP TABLE {_stage} ({string.Join(", ", definitions)}) ON COMMIT DROP");
        _copy = new BackgroundCopy(link, _stage, _writable.Select(c => c.Copy with { Name = "c" + c.Ordinal })
            .Append(new CopyColumn("present", ColumnType.Varchar)).Append(new CopyColumn("ord", ColumnType.BigInt)).ToList(), cancellation);
    }

    /// <summary>True when a load with these columns must be staged: some type only the server's text input reads.</summary>
    public static bool NeedsStaging(TableDescription table) => table.Columns.Any(c => !c.Generated && c.Type == ColumnType.Other);

    private static string StageType(TableColumn c) =>
        c.Type == ColumnType.Other ? (c.IsArray ? "text[]" : "text") : c.DomainBase ?? c.SqlType;

    /// <summary>Queues a valid record.</summary>
    public void Add(TableRecord record)
    {
        for (long n = _lastRecord + 1; n < record.Number; n++) _gaps.Add(n);
        _lastRecord = record.Number;
        var values = record.Values;
        if (_stage is not null)
        {
            var row = new object?[_writable.Length + 2];
            var present = new StringBuilder(_writable.Length);
            for (int i = 0; i < _writable.Length; i++)
            {
                var v = values[_writable[i].Ordinal];
                bool has = !ReferenceEquals(v, ColumnValues.Absent);
                row[i] = has ? v : null;
                present.Append(has ? '1' : '0');
            }
            row[^2] = present.ToString();
            row[^1] = record.Number;
            _copy!.Add(row);
        }
        else
        {
            if (_present is null || !SameColumns(values)) StartCopy(values);
            if (_presentCount == values.Length)
            {
                _copy!.Add(values);   // every column given: the record's own array is the row
            }
            else
            {
                var row = new object?[_presentCount];
                for (int i = 0, j = 0; i < values.Length; i++)
                {
                    if (_present![i]) row[j++] = values[i];
                }
                _copy!.Add(row);
            }
        }
        _rows++;
    }

    private bool SameColumns(object?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (_present![i] == ReferenceEquals(values[i], ColumnValues.Absent)) return false;
        }
        return true;
    }

    private void StartCopy(object?[] values)
    {
        EndCopy();
        _present = values.Select(v => !ReferenceEquals(v, ColumnValues.Absent)).ToArray();
        _presentCount = _present.Count(p => p);
        _copyFirstRow = _rows;
        var columns = _table.Columns.Where(c => _present[c.Ordinal]).Select(c => c.Copy).ToList();
        _copy = new BackgroundCopy(_link, _table.QuotedName, columns, _cancellation);
    }

    private void EndCopy()
    {
        if (_copy is null) return;
        var copy = _copy;
        _copy = null;
        try
        {
            copy.Complete();
        }
        finally
        {
            copy.Dispose();
        }
    }

    /// <summary>
    /// Ends the COPY and, when staged, moves the rows into the table. Returns the rows inserted and updated;
    /// <paramref name="stored"/> gets each stored row (-PassThru) when given.
    /// </summary>
    public (long Inserted, long Updated) Finish(TableConflict conflict, bool keepIdentity, Action<IRowReader>? stored)
    {
        long sent = _rows;
        EndCopy();
        if (_stage is null) return (sent, 0);
        long inserted = 0, updated = 0;
        var patterns = new List<string>();
        using (var reader = _link.ExecuteReader(new DbStatement($"SELECT present FROM {_stage} GROUP BY present ORDER BY min(ord)"), _cancellation))
        {
            while (reader.Read()) patterns.Add((string)reader.GetValues()[0]!);
        }
        foreach (string pattern in patterns)
        {
            var given = _writable.Where((c, i) => pattern[i] == '1').ToArray();
            string sql = conflict.Insert(_table, given, _stage, keepIdentity, stored is not null);
            using var reader = _link.ExecuteReader(new DbStatement(sql, new[] { new KeyValuePair<string, object?>("pattern", pattern) }), _cancellation);
            if (stored is not null)
            {
                stored(reader);
                continue;
            }
            reader.Read();
            var counts = reader.GetValues();
            inserted += Convert.ToInt64(counts[0], CultureInfo.InvariantCulture);
            updated += Convert.ToInt64(counts[1], CultureInfo.InvariantCulture);
        }
        return (inserted, updated);
    }

    /// <summary>The input record a COPY error is about, and the column, when the server's CONTEXT names a line.</summary>
    public (long Record, string? Column)? Culprit(DbSqlException e)
    {
        if (_stage is not null || s_copyLine.Match(e.Where ?? "") is not { Success: true } m) return null;
        long row = _copyFirstRow + long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);   // 1-based among rows sent
        // Rows are sent in record order; the records skipped before it shift its number.
        long record = row;
        foreach (long gap in _gaps)
        {
            if (gap <= record) record++;
            else break;
        }
        return (record, m.Groups[2].Success ? m.Groups[2].Value : null);
    }

    private void Run(string sql) => _link.ExecuteNonQuery(new DbStatement(sql), _cancellation);

    /// <summary>Abandons an unfinished COPY; the transaction it ran in is rolled back by its owner.</summary>
    public void Dispose()
    {
        _copy?.Dispose();
        _copy = null;
    }
}
