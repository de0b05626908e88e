namespace PgUsers.Files;

/// <summary>
/// Follows CSV text as PostgreSQL's COPY splits it into records (a quote opens or closes a quoted
/// stretch, where line breaks and delimiters are data), chunk by chunk. It counts the records, and
/// can drop fields (the columns -IgnoreUnknownColumns leaves out) while keeping every line break,
/// so the line numbers the server reports stay the file's own.
/// </summary>
internal sealed class CsvScanner
{
    private readonly char _delimiter;
    private readonly bool[]? _keep;
    private bool _inQuotes;
    private bool _afterCarriageReturn;
    private bool _lineHasData;
    private int _field;
    private bool _keptFieldWritten;
    private bool _previousWasCarriageReturn;
    private long _outputLine = 1;
    private readonly List<long> _droppedLineBreaks = new();

    /// <param name="delimiter">The field delimiter.</param>
    /// <param name="keep">For each field of a record, whether <see cref="Filter"/> keeps it (fields past the end are kept); null keeps all.</param>
    public CsvScanner(char delimiter, bool[]? keep = null)
    {
        _delimiter = delimiter;
        _keep = keep;
        StartRecord();
    }

    /// <summary>Records seen so far, counting a last one that has no line break yet.</summary>
    public long Records => _ended + (_lineHasData ? 1 : 0);

    private long _ended;

    /// <summary>Counts the records in <paramref name="text"/> (the next chunk of the input).</summary>
    /// <remarks>
    /// Line by line rather than quote by quote (an export quotes every value): whether a line break
    /// is inside a quoted value only depends on how many quotes came before it.
    /// </remarks>
    public void Count(ReadOnlySpan<char> text)
    {
        while (text.Length > 0)
        {
            int at = text.IndexOfAny('\r', '\n');
            var line = at < 0 ? text : text[..at];
            if (line.Length > 0)
            {
                Data();
                if ((line.Count('"') & 1) == 1) _inQuotes = !_inQuotes;
            }
            if (at < 0) return;
            if (_inQuotes) Data();
            else LineBreak(text[at]);
            text = text[(at + 1)..];
        }
    }

    /// <summary>Counts like <see cref="Count"/> and copies <paramref name="text"/> into <paramref name="output"/> without the dropped fields; returns the length written.</summary>
    public int Filter(ReadOnlySpan<char> text, Span<char> output)
    {
        int n = 0;
        foreach (char c in text)
        {
            // \r\n is one line break, as for PostgreSQL.
            bool newLine = c == '\r' || (c == '\n' && !_previousWasCarriageReturn);
            _previousWasCarriageReturn = c == '\r';
            if (_inQuotes)
            {
                if (c == '"') _inQuotes = false;
                if (Kept)
                {
                    output[n++] = c;
                    if (newLine) _outputLine++;
                }
                else if (newLine)
                {
                    // A line break inside a left-out value cannot be kept: remember where, to number lines as the file does.
                    _droppedLineBreaks.Add(_outputLine);
                }
            }
            else if (c == '\r' || c == '\n')
            {
                LineBreak(c);
                output[n++] = c;
                if (newLine) _outputLine++;
            }
            else if (c == _delimiter)
            {
                Data();
                _field++;
                if (Kept)
                {
                    if (_keptFieldWritten) output[n++] = c;
                    _keptFieldWritten = true;
                }
            }
            else
            {
                Data();
                if (c == '"') _inQuotes = true;
                if (Kept) output[n++] = c;
            }
        }
        return n;
    }

    /// <summary>
    /// Counts like <see cref="Count"/>, character by character, following fields too, so that
    /// <see cref="Record"/> and <see cref="Field"/> say where the text stopped.
    /// </summary>
    public void Track(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (_inQuotes)
            {
                if (c == '"') _inQuotes = false;
                else if (c is '\r' or '\n') Data();
            }
            else if (c is '\r' or '\n') LineBreak(c);
            else
            {
                Data();
                if (c == _delimiter) _field++;
                else if (c == '"') _inQuotes = true;
            }
        }
    }

    /// <summary>The record the text seen so far ends in (the first is 1).</summary>
    public long Record => _ended + 1;

    /// <summary>The field of <see cref="Record"/> the text seen so far ends in (the first is 0).</summary>
    public int Field => _field;

    /// <summary>
    /// The file's line number for a line number of the text <see cref="Filter"/> wrote (the server's
    /// numbering): later by the line breaks of left-out values on that line or before it.
    /// </summary>
    public long FileLine(long outputLine) => outputLine + _droppedLineBreaks.Count(line => line <= outputLine);

    private bool Kept => _keep is null || _field >= _keep.Length || _keep[_field];

    private void Data()
    {
        _lineHasData = true;
        _afterCarriageReturn = false;
    }

    private void LineBreak(char c)
    {
        // \r\n is one line break.
        if (c == '\n' && _afterCarriageReturn)
        {
            _afterCarriageReturn = false;
            return;
        }
        _afterCarriageReturn = c == '\r';
        if (_lineHasData) _ended++;
        _lineHasData = false;
        StartRecord();
    }

    private void StartRecord()
    {
        _field = 0;
        _keptFieldWritten = Kept;
    }
}
