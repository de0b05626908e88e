using System.IO.Compression;
using System.Text;

namespace PgUsers.Files;

/// <summary>
/// A CSV file being written as Export-Csv writes one: into the file (through a link), keeping its mode,
/// owner and links; and yet whole or not at all. The bytes go first to a hidden file beside it,
/// which on <see cref="Commit"/> becomes the new file, or is copied into the existing one. Disposed
/// before that, the hidden file is deleted and the target left as it was. A device or FIFO is
/// written to directly: it cannot be replaced, and holds nothing to keep.
/// </summary>
internal sealed class CsvOutput : IDisposable
{
    private const int PieceChars = 16 * 1024;
    private readonly string _target;
    private readonly string? _partial;
    private readonly bool _existing;
    private readonly FileStream _file;
    private readonly CountingStream _counted;
    private readonly Stream _bytes;
    private readonly Encoder _encoder;
    private readonly byte[] _encoded;
    private bool _committed;

    /// <param name="target">The file to write, links already followed.</param>
    /// <param name="gzip">Whether to compress.</param>
    /// <param name="encoding">The text's encoding: <see cref="Write"/> refuses a character it cannot hold.</param>
    /// <param name="direct">Whether <paramref name="target"/> is a device or FIFO, written to directly.</param>
    public CsvOutput(string target, bool gzip, Encoding encoding, bool direct)
    {
        _target = target;
        var strict = (Encoding)encoding.Clone();
        strict.EncoderFallback = EncoderFallback.ExceptionFallback;
        _encoder = strict.GetEncoder();
        _encoded = new byte[strict.GetMaxByteCount(PieceChars)];
        MayRefuse = encoding is not (UTF8Encoding or UnicodeEncoding or UTF32Encoding);
        if (direct)
        {
            _file = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 64 * 1024);
        }
        else
        {
            _existing = File.Exists(target);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 64 * 1024 };
            // A new file takes the usual mode for the folder. The text for an existing one stays private until it is copied in.
            if (_existing && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            string name = $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial";
            try
            {
                _partial = Path.Combine(Path.GetDirectoryName(target)!, name);
                _file = new FileStream(_partial, options);
            }
            catch (UnauthorizedAccessException) when (_existing)
            {
                // A file one may write in a folder one may not (as Export-Csv can): its new bytes wait in the temp folder.
                _partial = Path.Combine(Path.GetTempPath(), name);
                _file = new FileStream(_partial, options);
            }
        }
        _counted = new CountingStream(_file);
        // gzip's fastest level keeps an export at COPY speed; the file is a little larger than at the default level.
        _bytes = gzip ? new GZipStream(_counted, CompressionLevel.Fastest) : _counted;
        _bytes.Write(encoding.GetPreamble());
    }

    /// <summary>Bytes written so far (compressed, for .gz; up to what is still buffered).</summary>
    public long Position => _counted.Count;

    /// <summary>Whether the encoding may refuse a character: it is not a Unicode one.</summary>
    public bool MayRefuse { get; }

    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Encodes and writes <paramref name="text"/>; a <see cref="CsvEncodingException"/> for a character the encoding cannot hold.</summary>
    public void Write(ReadOnlySpan<char> text)
    {
        int done = 0;
        while (done < text.Length)
        {
            var piece = text.Slice(done, Math.Min(text.Length - done, PieceChars));
            int count;
            try
            {
                count = _encoder.GetBytes(piece, _encoded, flush: false);
            }
            catch (EncoderFallbackException e)
            {
                int codePoint = e.IsUnknownSurrogate() ? char.ConvertToUtf32(e.CharUnknownHigh, e.CharUnknownLow) : e.CharUnknown;
                throw new CsvEncodingException(Math.Max(0, done + e.Index), codePoint, e);
            }
            _bytes.Write(_encoded, 0, count);
            done += piece.Length;
        }
    }

    /// <summary>
    /// Finishes the file: a new one takes the target's name (unless <paramref name="noClobber"/> and one
    /// appeared meanwhile); an existing one gets the bytes, read-only or not when <paramref name="force"/>.
    /// Returns the size in bytes.
    /// </summary>
    public long Commit(bool noClobber, bool force)
    {
        _bytes.Write(_encoded, 0, _encoder.GetBytes(ReadOnlySpan<char>.Empty, _encoded, flush: true));
        _bytes.Dispose();
        _file.Dispose();
        long length = _counted.Count;
        if (_partial is not null)
        {
            if (_existing) CopyInto(force);
            else File.Move(_partial, _target, overwrite: !noClobber);
        }
        _committed = true;
        if (_partial is not null) File.Delete(_partial);
        return length;
    }

    /// <summary>
    /// Writes the new bytes into the existing file, which keeps its inode, mode, owner and links. The
    /// part past its old end goes first: when the disk is full, the file is cut back to its old length
    /// and stays whole.
    /// </summary>
    private void CopyInto(bool force)
    {
        using var source = new FileStream(_partial!, FileMode.Open, FileAccess.Read, FileShare.None, 64 * 1024);
        using var target = OpenExisting(force);
        long oldLength = target.Length;
        long newLength = source.Length;
        if (newLength > oldLength)
        {
            try
            {
                source.Position = target.Position = oldLength;
                source.CopyTo(target);
                target.Flush();
            }
            catch (IOException)
            {
                target.SetLength(oldLength);
                throw;
            }
        }
        source.Position = target.Position = 0;
        var buffer = new byte[64 * 1024];
        for (long left = Math.Min(oldLength, newLength); left > 0;)
        {
            int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            target.Write(buffer, 0, read);
            left -= read;
        }
        if (newLength < oldLength) target.SetLength(newLength);
    }

    /// <summary>The existing file opened for writing; a read-only one (with -Force) is made writable for the while, and then read-only again.</summary>
    private FileStream OpenExisting(bool force)
    {
        try
        {
            return new FileStream(_target, FileMode.Open, FileAccess.Write, FileShare.Read, 64 * 1024);
        }
        catch (UnauthorizedAccessException) when (force)
        {
            var attributes = File.GetAttributes(_target);
            UnixFileMode mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(_target);
            if (OperatingSystem.IsWindows()) File.SetAttributes(_target, attributes & ~FileAttributes.ReadOnly);
            else File.SetUnixFileMode(_target, mode | UnixFileMode.UserWrite);
            try
            {
                return new FileStream(_target, FileMode.Open, FileAccess.Write, FileShare.Read, 64 * 1024);
            }
            finally
            {
                // The handle stays writable; the file's own mode is back as it was.
                if (OperatingSystem.IsWindows()) File.SetAttributes(_target, attributes);
                else File.SetUnixFileMode(_target, mode);
            }
        }
    }

    public void Dispose()
    {
        if (_committed) return;
        try
        {
            _bytes.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidDataException)
        {
            // The hidden file is deleted below: what could not be flushed does not matter.
        }
        _file.Dispose();
        if (_partial is not null) File.Delete(_partial);
    }

    /// <summary>Counts the bytes that reach the file (a FIFO or device has no length to ask).</summary>
    private sealed class CountingStream : Stream
    {
        private readonly Stream _inner;

        public CountingStream(Stream inner) => _inner = inner;

        public long Count { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _inner.Write(buffer);
            Count += buffer.Length;
        }

        public override void Flush() => _inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
