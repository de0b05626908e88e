using System.Text;

namespace PgUsers.Files;

/// <summary>
/// A CSV file being read, whole or not at all: its text, decompressed when it ends in .gz
/// (<see cref="GzipInput"/>), decoded strictly (<see cref="StrictTextReader"/>); and how far into the
/// file's bytes the reading is.
/// </summary>
internal sealed class CsvInput : IDisposable
{
    public const int BufferChars = 64 * 1024;

    /// <summary>The longest header record read (characters): past it the file is taken not to be the CSV it claims to be.</summary>
    public const int HeaderLimit = 1024 * 1024;

    private readonly FileStream _file;

    public CsvInput(string path, Encoding encoding)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        Stream bytes = CsvOutput.IsGzip(path) ? new GzipInput(_file) : _file;
        Text = new StrictTextReader(bytes, encoding, Path.GetFileName(path));
    }

    public TextReader Text { get; }

    /// <summary>The file's size in bytes (compressed, for .gz).</summary>
    public long Length => _file.Length;

    /// <summary>Bytes of the file read so far (compressed, for .gz).</summary>
    public long Position => _file.Position;

    /// <summary>
    /// Reads up to the end of the first record (the header): returns all text read so far, which may go
    /// past it. Null when the header is longer than <see cref="HeaderLimit"/>; <paramref name="head"/>
    /// then holds its beginning.
    /// </summary>
    public string? ReadHeaderRecord(char[] buffer, out string head)
    {
        var text = new StringBuilder();
        bool inQuotes = false;
        int read;
        while ((read = Text.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            // Only the new text is scanned, carrying the quote state: a long header costs its length once.
            foreach (char c in buffer.AsSpan(0, read))
            {
                if (c == '"') inQuotes = !inQuotes;
                else if (!inQuotes && c is '\n' or '\r') return head = text.ToString();
            }
            if (text.Length > HeaderLimit)
            {
                head = text.ToString(0, 100);
                return null;
            }
        }
        return head = text.ToString();
    }

    public void Dispose()
    {
        Text.Dispose();
        _file.Dispose();
    }
}
