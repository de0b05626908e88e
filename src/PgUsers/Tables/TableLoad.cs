using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PgUsers.Tables;

/// <summary>
/// Write-DbTable's load into any described table, through the one COPY writer (<see cref="BackgroundCopy"/>).
/// <list type="bullet">
/// <item>Direct: COPY straight into the table, the columns the records carry (a column a record leaves out
/// gets its DEFAULT: when the set of columns changes, the COPY ends and another starts with the new list).</item>
/// <item>Staged (-OnConflict Skip/Update, -PassThru, -SkipInvalid, or a column of a type only the server parses): COPY into a
/// temporary table, then one INSERT ... SELECT per set of columns given, with ON CONFLICT and RETURNING.</item>
/// </list>
/// Both run in the caller's transaction: a failure anywhere lands nothing. Under -SkipInvalid each set moves under a
/// savepoint, so the records the server refuses for their data are found and left out instead (<see cref="Move"/>).
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
    private bool _indexed;             // the stage's index on ord, made when a part is first split

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
    /// <paramref name="stored"/> gets each stored row (-PassThru) when given. With <paramref name="refused"/>
    /// (-SkipInvalid, staged) a record the server refuses for its data is left out and added there, in record order.
    /// </summary>
    public (long Inserted, long Updated) Finish(TableConflict conflict, bool keepIdentity, Action<IRowReader>? stored, List<(long Record, DbSqlException Error)>? refused = null)
    {
        long sent = _rows;
        EndCopy();
        if (_stage is null) return (sent, 0);
        long inserted = 0, updated = 0;
        var patterns = new List<(string Pattern, long First, long Last)>();
        using (var reader = _link.ExecuteReader(new DbStatement($"SELECT present, min(ord), max(ord) FROM {_stage} GROUP BY present ORDER BY min(ord)"), _cancellation))
        {
            while (reader.Read())
            {
                var v = reader.GetValues();
                patterns.Add(((string)v[0]!, Convert.ToInt64(v[1], CultureInfo.InvariantCulture), Convert.ToInt64(v[2], CultureInfo.InvariantCulture)));
            }
        }
        foreach (var (pattern, first, last) in patterns)
        {
            var given = _writable.Where((c, i) => pattern[i] == '1').ToArray();
            var move = new Move(this, conflict.Insert(_table, given, _stage, keepIdentity, stored is not null), pattern, stored);
            var (i, u) = refused is null ? move.Run(first, last) : move.Skipping(first, last, conflict.Superseded(given, _stage), refused);
            inserted += i;
            updated += u;
        }
        refused?.Sort((a, b) => a.Record.CompareTo(b.Record));
        return (inserted, updated);
    }

    /// <summary>
    /// One set of given columns moving from the stage into the table: a range of record numbers at a time. Skipping,
    /// each try runs under a savepoint; a range the server refuses for its data is undone and split in two until the
    /// records it refuses stand alone, so the load costs one statement per pattern when nothing is refused, and about
    /// two per halving (log2 of the records) for each one that is.
    /// </summary>
    private sealed class Move
    {
        private const string Savepoint = "pgusers_load_part";
        private readonly TableLoad _load;
        private readonly string _sql;
        private readonly string _pattern;
        private readonly Action<IRowReader>? _stored;

        public Move(TableLoad load, string sql, string pattern, Action<IRowReader>? stored)
        {
            _load = load;
            _sql = sql;
            _pattern = pattern;
            _stored = stored;
        }

        /// <summary>Moves the records <paramref name="first"/> to <paramref name="last"/>; returns (inserted, updated), zeros when the rows went to -PassThru.</summary>
        public (long Inserted, long Updated) Run(long first, long last)
        {
            var parameters = new KeyValuePair<string, object?>[] { new("pattern", _pattern), new("first", first), new("last", last) };
            // The server runs an INSERT to its end (constraints checked) before it sends a RETURNING row: a refused try returns none.
            using var reader = _load._link.ExecuteReader(new DbStatement(_sql, parameters), _load._cancellation);
            if (_stored is not null)
            {
                _stored(reader);
                return (0, 0);
            }
            reader.Read();
            var counts = reader.GetValues();
            return (Convert.ToInt64(counts[0], CultureInfo.InvariantCulture), Convert.ToInt64(counts[1], CultureInfo.InvariantCulture));
        }

        /// <summary>Moves what the server takes of <paramref name="first"/> to <paramref name="last"/>, in record order; each record it refuses goes to <paramref name="refused"/>.</summary>
        public (long Inserted, long Updated) Skipping(long first, long last, string? superseded, List<(long Record, DbSqlException Error)> refused)
        {
            var link = _load._link;
            long inserted = 0, updated = 0;
            bool split = false;
            var ranges = new Stack<(long First, long Last)>();
            ranges.Push((first, last));
            while (ranges.Count > 0)
            {
                var (a, b) = ranges.Pop();
                link.Savepoint(Savepoint);
                try
                {
                    var (i, u) = Run(a, b);
                    link.ReleaseSavepoint(Savepoint);
                    inserted += i;
                    updated += u;
                    continue;
                }
                catch (DbSqlException e) when (AboutTheData(e.SqlState))
                {
                    link.RollbackToSavepoint(Savepoint);
                    link.ReleaseSavepoint(Savepoint);
                    if (a == b)
                    {
                        refused.Add((a, e));
                        continue;
                    }
                }
                if (!split)
                {
                    split = true;
                    _load.PrepareParts(superseded, _pattern);
                }
                long middle = a + (b - a) / 2;
                ranges.Push((middle + 1, b));
                ranges.Push((a, middle));
            }
            return (inserted, updated);
        }

        /// <summary>
        /// Refusals of one record's values: a data exception (22), an integrity constraint (23), or a row changed
        /// twice (21000). Anything else (a lost connection, a cancel, a permission, a serialization failure) fails the load.
        /// </summary>
        private static bool AboutTheData(string sqlState) => sqlState.StartsWith("22", StringComparison.Ordinal)
            || sqlState.StartsWith("23", StringComparison.Ordinal) || sqlState == "21000";
    }

    /// <summary>
    /// Before the first split: an index on the record number, so each part reads only its rows, and, where only the
    /// last record per key is written, the earlier ones of the pattern taken out, so no part writes a key a later part writes.
    /// </summary>
    private void PrepareParts(string? superseded, string pattern)
    {
        if (!_indexed)
        {
            _indexed = true;
            Run($"CREATE INDEX ON {_stage} (ord)");
        }
        if (superseded is not null) _link.ExecuteNonQuery(new DbStatement(superseded, new[] { new KeyValuePair<string, object?>("pattern", pattern) }), _cancellation);
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
