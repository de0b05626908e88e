using System.Diagnostics;
using System.Management.Automation;
using System.Text;

namespace PgUsers.Commands;

/// <summary>
/// Writes a table or a query's rows to a CSV file with PostgreSQL's text COPY, streaming (flat
/// memory). The file is written as Export-Csv writes it, yet whole or not at all (<see cref="CsvOutput"/>).
/// </summary>
[Cmdlet(VerbsData.Export, "DbCsv", SupportsShouldProcess = true, DefaultParameterSetName = "Table")]
[OutputType(typeof(DbCsvResult))]
public sealed class ExportDbCsvCommand : CsvCmdlet
{
    /// <summary>The file to write; a name ending in .gz is written compressed. Wildcards must match one file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Table")]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Query")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The file to write, taken as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "LiteralTable")]
    [Parameter(Mandatory = true, ParameterSetName = "LiteralQuery")]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>The table to export: name, schema.name, or a quoted identifier.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Table")]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "LiteralTable")]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = "";

    /// <summary>The query whose rows to export.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Query")]
    [Parameter(Mandatory = true, ParameterSetName = "LiteralQuery")]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = "";

    /// <summary>Values for the query's @name or :name placeholders.</summary>
    [Parameter(ParameterSetName = "Query")]
    [Parameter(ParameterSetName = "LiteralQuery")]
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

    private bool FromTable => ParameterSetName.EndsWith("Table", StringComparison.Ordinal);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var (path, target, direct) = ResolveTarget();
        string source = FromTable ? $"table {Table}" : "query";
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
            if (FromTable)
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
            using (var output = new CsvOutput(target, CsvOutput.IsGzip(path), Encoding, direct))
            {
                rows = Write(link, copy, output, path);
                if (staging is not null)
                {
                    link.ExecuteNonQuery(new DbStatement($"DROP TABLE {staging}"), Cancellation);
                    CompleteUnit();
                }
                bytes = output.Commit(NoClobber, Force);
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
            Fail(e, FromTable ? Table : Query);
        }
    }

    private long Write(IDbLink link, string copy, CsvOutput output, string path)
    {
        var scanner = new CsvScanner(Delimiter);
        var buffer = new char[CsvInput.BufferChars];
        long reported = 0;
        List<string>? headers = null;
        using var progress = new BatchProgress(this, 1, "Export-DbCsv", $"Writing {path}");
        using (var copyOut = link.BeginTextCopyOut(copy, Cancellation))
        {
            int read;
            while ((read = copyOut.Read(buffer)) > 0)
            {
                Cancellation.ThrowIfCancellationRequested();
                var text = buffer.AsSpan(0, read);
                headers ??= NoHeader ? new List<string>() : CsvText.Fields(text[..Math.Max(0, CsvText.FirstRecordEnd(text))], Delimiter);
                try
                {
                    output.Write(text);
                }
                catch (CsvEncodingException e)
                {
                    // Where the character is: the record and field the text up to it ends in.
                    scanner.Track(text[..e.Index]);
                    Fail(new ErrorRecord(new InvalidDataException(Unencodable(e.CodePoint, scanner, headers, path), e),
                        "PgUsers.CsvNotEncodable", ErrorCategory.InvalidData, path));
                }
                if (output.MayRefuse) scanner.Track(text);
                else scanner.Count(text);
                if (output.Position - reported >= 4 * 1048576)
                {
                    reported = output.Position;
                    progress.Show($"{scanner.Records:N0} rows, {reported / 1048576.0:0.0} MB written", operation: path);
                }
            }
        }
        return Math.Max(0, scanner.Records - (NoHeader ? 0 : 1));
    }

    /// <summary>Where the character the encoding cannot hold is, and what to do.</summary>
    private string Unencodable(int codePoint, CsvScanner scanner, List<string> headers, string path)
    {
        long row = scanner.Record - (NoHeader ? 0 : 1);
        int field = scanner.Field;
        string column = field < headers.Count ? headers[field] : $"{field + 1}";
        string where = row == 0 ? $"the header, column {field + 1}" : $"row {row}, column {column}";
        string character = codePoint is >= 0xD800 and <= 0xDFFF ? "half of a surrogate pair" : $"'{char.ConvertFromUtf32(codePoint)}'";
        return $"{System.IO.Path.GetFileName(path)}, {where}: the value holds {character} (U+{codePoint:X4}), which {Encoding.WebName} cannot hold. "
            + "Export with an encoding that can, such as utf8 (the default). Nothing was written.";
    }

    /// <summary>
    /// The file to write, after Export-Csv's checks (a wildcard matches one file, the folder exists,
    /// -NoClobber, a read-only file only with -Force): the full path as named; the file written, past
    /// any symbolic links; and whether that is a device or FIFO, written to directly.
    /// </summary>
    private (string Path, string Target, bool Direct) ResolveTarget()
    {
        bool literal = ParameterSetName.StartsWith("Literal", StringComparison.Ordinal);
        string given = literal ? LiteralPath : Path;
        string path;
        ProviderInfo provider;
        if (!literal && WildcardPattern.ContainsWildcardCharacters(given))
        {
            var matches = new List<string>();
            try
            {
                matches.AddRange(GetResolvedProviderPathFromPSPath(given, out provider));
            }
            catch (ItemNotFoundException)
            {
                provider = SessionState.Path.CurrentFileSystemLocation.Provider;
            }
            if (matches.Count == 0)
            {
                Fail(new ErrorRecord(new FileNotFoundException($"'{given}' has wildcard characters and matches no file. To create a file with such a name, give it with -LiteralPath."),
                    "PgUsers.PathNotResolved", ErrorCategory.ObjectNotFound, given));
            }
            if (matches.Count > 1)
            {
                Fail(DbErrors.Argument("PgUsers.PathAmbiguous",
                    $"'{given}' matches {matches.Count} files ({string.Join(", ", matches.Take(3).Select(System.IO.Path.GetFileName))}{(matches.Count > 3 ? ", …" : "")}); Export-DbCsv writes one file: name it.", given));
            }
            path = matches[0];
        }
        else
        {
            path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out provider, out _);
        }
        if (provider.Name != "FileSystem")
        {
            Fail(DbErrors.Argument("PgUsers.NotAFile", $"'{given}' is not a file system path.", given));
        }
        // Written through links, as Export-Csv writes: the link stays, its target gets the text (or is made).
        var info = new FileInfo(path);
        string target = info.Exists && info.Attributes.HasFlag(FileAttributes.ReparsePoint)
            ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path
            : path;
        if (Directory.Exists(target))
        {
            Fail(DbErrors.Argument("PgUsers.NotAFile", $"'{path}' is a folder; give a file name.", given));
        }
        if (!Directory.Exists(System.IO.Path.GetDirectoryName(target)))
        {
            Fail(new ErrorRecord(new DirectoryNotFoundException($"The folder of '{target}' does not exist."),
                "PgUsers.DirectoryNotFound", ErrorCategory.ObjectNotFound, given));
        }
        bool direct = false;
        if (File.Exists(target))
        {
            if (NoClobber) Fail(FileExists(path, null));
            direct = IsDeviceOrFifo(target);
            if (!direct && (File.GetAttributes(target) & FileAttributes.ReadOnly) != 0 && !Force)
            {
                Fail(new ErrorRecord(new UnauthorizedAccessException($"The file '{path}' is read-only; pass -Force to write it."),
                    "PgUsers.FileReadOnly", ErrorCategory.PermissionDenied, path));
            }
        }
        return (path, target, direct);
    }

    /// <summary>Whether <paramref name="target"/> is a device, FIFO or socket: PowerShell's file system provider knows (UnixStat), .NET does not say.</summary>
    private bool IsDeviceOrFifo(string target)
    {
        if (OperatingSystem.IsWindows()) return false;
        var item = InvokeProvider.Item.Get(new[] { target }, true, true).FirstOrDefault();
        return item?.Properties["UnixStat"]?.Value is { } stat
            && PSObject.AsPSObject(stat).Properties["ItemType"]?.Value?.ToString() is { } type && type != "File";
    }

    private static ErrorRecord FileExists(string path, Exception? inner) =>
        new(new IOException($"The file '{path}' already exists; -NoClobber keeps it. Leave out -NoClobber to replace it.", inner),
            "PgUsers.FileExists", ErrorCategory.ResourceExists, path);
}
