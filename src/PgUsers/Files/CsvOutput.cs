using System.IO.Compression;
using System.Text;

namespace PgUsers.Files;

/// <summary>
/// A CSV file being written: the text goes to a hidden file beside the target (compressed when the
/// target ends in .gz), which takes the target's name only on <see cref="Commit"/>. Disposed before
/// that, the partial file is deleted and an existing target is left as it was.
/// </summary>
internal sealed class CsvOutput : IDisposable
{
    private readonly string _path;
    private readonly string _partial;
    private readonly FileStream _file;
    private bool _committed;

    public CsvOutput(string path, Encoding encoding)
    {
        _path = path;
        _partial = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        _file = new FileStream(_partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
        // gzip's fastest level keeps an export at COPY speed; the file is a little larger than at the default level.
        Stream bytes = IsGzip(path) ? new GZipStream(_file, CompressionLevel.Fastest) : _file;
        Text = new StreamWriter(bytes, encoding, CsvInput.BufferChars);
    }

    public TextWriter Text { get; }

    /// <summary>Bytes written to the file so far (compressed, for .gz; up to what is still buffered).</summary>
    public long Position => _file.Position;

    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Finishes the file and gives it the target's name (replacing the target unless <paramref name="noClobber"/>); returns its size in bytes.</summary>
    public long Commit(bool noClobber)
    {
        Text.Dispose();
        long length = new FileInfo(_partial).Length;
        File.Move(_partial, _path, overwrite: !noClobber);
        _committed = true;
        return length;
    }

    public void Dispose()
    {
        if (_committed) return;
        try
        {
            Text.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidDataException)
        {
            // The file is deleted below: what could not be flushed does not matter.
        }
        _file.Dispose();
        File.Delete(_partial);
    }
}
