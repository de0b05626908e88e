using System.IO.Compression;
using System.Text;

namespace PgUsers.Files;

/// <summary>A CSV file being read: its text (decompressed when it ends in .gz), and how far into the file's bytes the reading is.</summary>
internal sealed class CsvInput : IDisposable
{
    public const int BufferChars = 64 * 1024;
    private readonly FileStream _file;

    public CsvInput(string path, Encoding encoding)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            Stream bytes = CsvOutput.IsGzip(path) ? new GZipStream(_file, CompressionMode.Decompress) : _file;
            Text = new StreamReader(bytes, encoding, detectEncodingFromByteOrderMarks: true, BufferChars);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public TextReader Text { get; }

    /// <summary>The file's size in bytes (compressed, for .gz).</summary>
    public long Length => _file.Length;

    /// <summary>Bytes of the file read so far (compressed, for .gz).</summary>
    public long Position => _file.Position;

    public void Dispose()
    {
        Text.Dispose();
        _file.Dispose();
    }
}
