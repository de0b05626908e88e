using System.Diagnostics;
using System.Management.Automation;
using System.Text;

namespace PgUsers.Commands;

/// <summary>
/// Writes a table or a query's rows to a CSV file with PostgreSQL's text COPY, streaming (flat
/// memory). The file appears only when complete: on an error or Ctrl+C no partial file is left.
/// </summary>
[Cmdlet(VerbsData.Export, "DbCsv", SupportsShouldProcess = true, DefaultParameterSetName = "Table")]
[OutputType(typeof(DbCsvResult))]
public sealed class ExportDbCsvCommand : CsvCmdlet
{
    private bool _replaceReadOnly;

    /// <summary>The file to write; a name ending in .gz is written compressed.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("LiteralPath", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The table to export: name, schema.name, or a quoted identifier.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Table")]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = "";

    /// <summary>The query whose rows to export.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Query")]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = "";

    /// <summary>Values for the query's @name or :name placeholders.</summary>
    [Parameter(ParameterSetName = "Query")]
    public object? Parameters { get; set; }

    /// <summary>Write no header line.</summary>
    [Parameter]
    public SwitchParameter NoHeader { get; set; }

    /// <summary>Replace the file even when it is read-only.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Fail rather than replace an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string path = ResolveTarget();
        string source = ParameterSetName == "Table" ? $"table {Table}" : "query";
        if (!ShouldProcess(path, $"Export {source} to CSV")) return;

        var clock = Stopwatch.StartNew();
        try
        {
            // No transaction of its own unless a query with parameters needs its temporary table.
            var link = Unit.Link;
            string? tableName = null;
            string from;
            // Import-Csv trims the leading spaces of an unquoted value: quote the values that may have some, as Export-Csv
            // quotes every value. A query's column types are not known here, so all of its values are quoted.
            // NULL stays an unquoted empty cell either way, so Import-DbCsv tells it from "".
            string quote = "*";
            string? staging = null;
            if (ParameterSetName == "Table")
            {
                var table = FindTable(link, Table);
                from = tableName = table.QuotedName;
                quote = string.Join(", ", table.Columns.Where(c => c.MayStartWithSpace).Select(c => c.Quoted));
            }
            else
            {
                // A line comment at the end of the query must not swallow the closing parenthesis.
                string query = Query.TrimEnd().TrimEnd(';');
                var values = ParameterValues.From(Parameters);
                if (values.Count == 0)
                {
                    from = $"(\n{query}\n)";
                }
                else
                {
                    // COPY takes no bound parameters: the rows go through a temporary table made by a statement that does.
                    staging = $"pg_temp.\"pgusers_export_{Guid.NewGuid():N}\"";
                    Unit.Begin();
                    link.ExecuteNonQuery(new DbStatement($"CREATE TEMP TABLE {staging} ON COMMIT DROP AS\n{query}\n", values), Cancellation);
                    from = staging;
                }
            }
            string forceQuote = quote.Length == 0 ? "" : quote == "*" ? ", FORCE_QUOTE *" : $", FORCE_QUOTE ({quote})";
            string copy = $"COPY {from} TO STDOUT (FORMAT csv, HEADER {(NoHeader ? "false" : "true")}{forceQuote}, DELIMITER {CsvText.DelimiterLiteral(Delimiter)})";
            WriteVerbose(copy);
            long rows;
            long bytes;
            using (var output = new CsvOutput(path, Encoding))
            {
                rows = Write(link, copy, output, path);
                if (staging is not null)
                {
                    link.ExecuteNonQuery(new DbStatement($"DROP TABLE {staging}"), Cancellation);
                    CompleteUnit();
                }
                if (_replaceReadOnly) File.SetAttributes(path, File.GetAttributes(path) & ~FileAttributes.ReadOnly);
                bytes = output.Commit(NoClobber);
            }
            CompleteUnit();
            WriteVerbose($"Wrote {rows} rows to {path} in {clock.Elapsed.TotalMilliseconds:0.0} ms.");
            WriteObject(new DbCsvResult(path, tableName, rows, bytes, clock.Elapsed));
        }
        catch (IOException e) when (NoClobber && File.Exists(path))
        {
            Fail(FileExists(path, e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(new ErrorRecord(e, "PgUsers.FileUnwritable", ErrorCategory.WriteError, path));
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, ParameterSetName == "Table" ? Table : Query);
        }
    }

    private long Write(IDbLink link, string copy, CsvOutput output, string path)
    {
        var scanner = new CsvScanner(Delimiter);
        var buffer = new char[CsvInput.BufferChars];
        long reported = 0;
        using var progress = new BatchProgress(this, 1, "Export-DbCsv", $"Writing {path}");
        using (var copyOut = link.BeginTextCopyOut(copy, Cancellation))
        {
            int read;
            while ((read = copyOut.Read(buffer)) > 0)
            {
                Cancellation.ThrowIfCancellationRequested();
                scanner.Count(buffer.AsSpan(0, read));
                output.Text.Write(buffer, 0, read);
                if (output.Position - reported >= 4 * 1048576)
                {
                    reported = output.Position;
                    progress.Show($"{scanner.Records:N0} rows, {reported / 1048576.0:0.0} MB written", operation: path);
                }
            }
        }
        return Math.Max(0, scanner.Records - (NoHeader ? 0 : 1));
    }

    /// <summary>The target's full path, after Export-Csv's checks: the folder exists, -NoClobber, a read-only file only with -Force.</summary>
    private string ResolveTarget()
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
        if (provider.Name != "FileSystem")
        {
            Fail(DbErrors.Argument("PgUsers.NotAFile", $"'{Path}' is not a file system path.", Path));
        }
        if (Directory.Exists(path))
        {
            Fail(DbErrors.Argument("PgUsers.NotAFile", $"'{path}' is a folder; give a file name.", Path));
        }
        if (!Directory.Exists(System.IO.Path.GetDirectoryName(path)))
        {
            Fail(new ErrorRecord(new DirectoryNotFoundException($"The folder of '{path}' does not exist."),
                "PgUsers.DirectoryNotFound", ErrorCategory.ObjectNotFound, Path));
        }
        if (File.Exists(path))
        {
            if (NoClobber) Fail(FileExists(path, null));
            if ((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
            {
                if (!Force)
                {
                    Fail(new ErrorRecord(new UnauthorizedAccessException($"The file '{path}' is read-only; pass -Force to replace it."),
                        "PgUsers.FileReadOnly", ErrorCategory.PermissionDenied, path));
                }
                _replaceReadOnly = true;
            }
        }
        return path;
    }

    private static ErrorRecord FileExists(string path, Exception? inner) =>
        new(new IOException($"The file '{path}' already exists; -NoClobber keeps it. Leave out -NoClobber to replace it.", inner),
            "PgUsers.FileExists", ErrorCategory.ResourceExists, path);
}
