using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;

namespace PgUsers.Commands;

/// <summary>
/// Loads CSV files into a table with PostgreSQL's text COPY, streaming (flat memory), all of them in
/// one transaction: every row lands, or none does.
/// </summary>
[Cmdlet(VerbsData.Import, "DbCsv", SupportsShouldProcess = true, DefaultParameterSetName = "Path")]
[OutputType(typeof(DbCsvResult))]
public sealed class ImportDbCsvCommand : CsvCmdlet
{
    // The server's CONTEXT for a refused line: COPY users, line 5, column referrer_id: "abc"
    private static readonly Regex s_copyContext = new(@"^COPY [^\n]*?, line (\d+)(?:, column ([^:\n]+))?", RegexOptions.CultureInvariant | RegexOptions.Multiline);
    private readonly Queue<string> _files = new();
    private readonly List<DbCsvResult> _loaded = new();
    private TableDescription? _table;
    private CsvMapping? _mapping;
    private CsvScanner? _scanner;

    /// <summary>The CSV files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The CSV files, taken as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The table to load into: name, schema.name, or a quoted identifier.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = "";

    /// <summary>Column names for a file without a header line: the first line is then data.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Header { get; set; }

    /// <summary>Leave out the fields whose header names no column, instead of failing.</summary>
    [Parameter]
    public SwitchParameter IgnoreUnknownColumns { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (string file in ResolveFiles()) _files.Enqueue(file);
        // Inside a session an upstream command may still be reading on the same connection: wait for it.
        if (!(ActiveSession is { IsActive: true } session && session.Link.Busy)) LoadQueued();
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        LoadQueued();
        try
        {
            // An empty file opens no unit, but still has its result (0 rows).
            if (HasUnit) CompleteUnit($"Loaded {_loaded.Sum(r => r.Rows)} rows from {_loaded.Count} file(s) into {_table?.QuotedName}");
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, Table);
        }
        WriteObject(_loaded, enumerateCollection: true);
    }

    private IEnumerable<string> ResolveFiles()
    {
        bool literal = ParameterSetName == "LiteralPath";
        foreach (string given in literal ? LiteralPath : Path)
        {
            var found = new List<string>();
            try
            {
                if (literal)
                {
                    string one = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out var provider, out _);
                    if (provider.Name == "FileSystem" && File.Exists(one)) found.Add(one);
                }
                else
                {
                    var paths = GetResolvedProviderPathFromPSPath(given, out var provider);
                    if (provider.Name == "FileSystem") found.AddRange(paths.Where(File.Exists));
                }
            }
            catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
            {
            }
            if (found.Count == 0)
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the file '{given}'.", given),
                    "PgUsers.FileNotFound", ErrorCategory.ObjectNotFound, given));
            }
            foreach (string file in found) yield return file;
        }
    }

    private void LoadQueued()
    {
        while (_files.Count > 0) Load(_files.Dequeue());
    }

    private void Load(string path)
    {
        var clock = Stopwatch.StartNew();
        CsvInput input;
        try
        {
            input = new CsvInput(path, Encoding);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "PgUsers.FileUnreadable", ErrorCategory.ReadError, path));
            return;
        }
        using (input)
        {
            try
            {
                Copy(path, input, clock);
            }
            catch (DbSqlException e) when (s_copyContext.Match(e.Where ?? "") is { Success: true } context)
            {
                string? column = context.Groups[2].Success ? context.Groups[2].Value : null;
                long line = _scanner?.FileLine(long.Parse(context.Groups[1].Value)) ?? long.Parse(context.Groups[1].Value);
                Fail(new ErrorRecord(new DbCsvLineException(path, line, column,
                    column is null ? null : _mapping?.HeaderOf(column), e), "PgUsers.Sql." + e.SqlState, DbErrors.CategoryOf(e.SqlState), path));
            }
            catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
            {
                Fail(new ErrorRecord(e, "PgUsers.FileUnreadable", ErrorCategory.ReadError, path));
            }
            catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
            {
                Fail(e, path);
            }
        }
    }

    private void Copy(string path, CsvInput input, Stopwatch clock)
    {
        var buffer = new char[CsvInput.BufferChars];
        string head = Header is null ? ReadHeaderRecord(input.Text, buffer) : "";
        IReadOnlyList<string>? headers = (IReadOnlyList<string>?)Header
            ?? (head.Length == 0 ? null : CsvText.Fields(head.AsSpan(0, CsvText.FirstRecordEnd(head) is int end and >= 0 ? end : head.Length), Delimiter));
        if (headers is null)
        {
            WriteWarning($"{path} is empty: there is no header and nothing to load.");
            _loaded.Add(new DbCsvResult(path, null, 0, input.Length, clock.Elapsed));
            return;
        }

        Unit.Begin();
        _table ??= FindTable(Unit.Link, Table);
        _mapping = CsvMapping.Build(headers, _table, IgnoreUnknownColumns, out string? errorId, out string? problem);
        if (_mapping is null)
        {
            Fail(new ErrorRecord(new InvalidDataException($"{path}: {problem}"), errorId, ErrorCategory.InvalidData, path));
            return;
        }
        string columns = string.Join(", ", _mapping.Columns.Select(c => c.Name));
        string skipped = _mapping.Skipped.Count == 0 ? "" : $"; leaving out {string.Join(", ", _mapping.Skipped)}";
        if (!ShouldProcess($"{path} ({input.Length:N0} bytes) into {_table.QuotedName} ({columns}){skipped}", "Load CSV")) return;

        string copy = $"COPY {_table.QuotedName} ({_mapping.ColumnList}) FROM STDIN (FORMAT csv, HEADER {(Header is null ? "true" : "false")}, DELIMITER {CsvText.DelimiterLiteral(Delimiter)})";
        WriteVerbose(copy);
        var scanner = _scanner = new CsvScanner(Delimiter, _mapping.Keep);
        var filtered = _mapping.Keep is null ? null : new char[CsvInput.BufferChars + head.Length];
        string activity = $"Loading {path} into {_table.QuotedName}";
        using var progress = new BatchProgress(this, 1, "Import-DbCsv", activity);
        int percent = -1;
        using (var copyIn = Unit.Link.BeginTextCopyIn(copy, Cancellation))
        {
            // The header record was read to map the columns; it goes to the server too (HEADER true skips it) so line numbers stay the file's.
            Send(copyIn, scanner, head.ToCharArray(), head.Length, filtered);
            int read;
            while ((read = input.Text.Read(buffer, 0, buffer.Length)) > 0)
            {
                Send(copyIn, scanner, buffer, read, filtered);
                percent = Progress(progress, percent, input, activity);
            }
            copyIn.Complete();
        }
        long rows = scanner.Records - (Header is null ? 1 : 0);
        _loaded.Add(new DbCsvResult(path, _table.QuotedName, Math.Max(0, rows), input.Length, clock.Elapsed));
    }

    private static void Send(ITextCopyIn copyIn, CsvScanner scanner, char[] text, int count, char[]? filtered)
    {
        if (count == 0) return;
        if (filtered is null)
        {
            scanner.Count(text.AsSpan(0, count));
            copyIn.Write(text, count);
            return;
        }
        if (filtered.Length < count) filtered = new char[count];
        copyIn.Write(filtered, scanner.Filter(text.AsSpan(0, count), filtered));
    }

    /// <summary>Reads up to the end of the first record (the header), whatever its length; returns all text read so far.</summary>
    private static string ReadHeaderRecord(TextReader text, char[] buffer)
    {
        var head = new StringBuilder();
        int read;
        while ((read = text.Read(buffer, 0, buffer.Length)) > 0)
        {
            head.Append(buffer, 0, read);
            if (CsvText.FirstRecordEnd(head.ToString()) >= 0) break;
        }
        return head.ToString();
    }

    /// <summary>Reports the bytes read of the file each time the percentage moves; returns the percentage.</summary>
    private static int Progress(BatchProgress progress, int reported, CsvInput input, string activity)
    {
        long length = Math.Max(1, input.Length);
        int percent = (int)Math.Min(100, input.Position * 100 / length);
        if (percent != reported) progress.Show($"{input.Position / 1048576.0:0.0} of {length / 1048576.0:0.0} MB read", percent, activity);
        return percent;
    }
}
