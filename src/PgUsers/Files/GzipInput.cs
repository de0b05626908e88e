using System.Buffers.Binary;
using System.IO.Compression;

namespace PgUsers.Files;

/// <summary>
/// The decompressed bytes of a .gz file, read strictly: each member's header is checked, its data must
/// end, its trailer's CRC-32 and length must match what it decompressed to, and only another member
/// may follow. GZipStream reads a file cut short as if it ended there, and says "unsupported
/// compression method" of anything else wrong; this says what is wrong, as an InvalidDataException.
/// </summary>
/// <remarks>
/// Each member's deflate data goes through a DeflateStream fed from this class's own buffer. The
/// inflater asks for more only when it has used all it was given, so when it finishes, the end of its
/// data lies inside the last piece it was given: the trailer is the first place there whose eight
/// bytes are the CRC-32 and length of what came out.
/// </remarks>
internal sealed class GzipInput : ReadOnlyStream
{
    private const int TrailerLength = 8;
    private readonly Stream _file;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private int _lastPieceAt;
    private bool _fileEnded;
    private bool _inflaterSawEnd;
    private bool _done;
    private bool _anyMember;
    private DeflateStream? _member;
    private uint _crc;
    private long _length;

    public GzipInput(Stream file) => _file = file;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> output)
    {
        if (output.IsEmpty) return 0;
        while (!_done)
        {
            if (_member is null && !StartMember())
            {
                _done = true;
                break;
            }
            int n;
            try
            {
                n = _member!.Read(output);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"its compressed data is corrupt ({e.Message.TrimEnd('.')}).", e);
            }
            if (n > 0)
            {
                _crc = Crc32.Append(_crc, output[..n]);
                _length += n;
                return n;
            }
            EndMember();
        }
        return 0;
    }

    /// <summary>Reads a member's header; false at the clean end of the file.</summary>
    private bool StartMember()
    {
        // An empty file is read as empty text, as what GZipStream may write for no text at all.
        if (!Available(1)) return false;
        bool signature = Available(2) && _buffer[_start] == 0x1F && _buffer[_start + 1] == 0x8B;
        if (signature && !Available(10)) throw Truncated();
        if (!signature)
        {
            throw new InvalidDataException(_anyMember
                ? "there is data after the end of its gzip stream."
                : "it is not a gzip file (it does not start with gzip's 1F 8B), though its name ends in .gz.");
        }
        var header = _buffer.AsSpan(_start, 10);
        if (header[2] != 8) throw new InvalidDataException($"its gzip header names compression method {header[2]}; gzip has only method 8 (deflate).");
        byte flags = header[3];
        if ((flags & 0xE0) != 0) throw new InvalidDataException("its gzip header is corrupt (reserved flags are set).");
        uint headerCrc = Crc32.Append(0, header);
        _start += 10;
        if ((flags & 0x04) != 0)
        {
            // FEXTRA: a length, then that many bytes.
            var lengthBytes = Take(2);
            headerCrc = Crc32.Append(headerCrc, lengthBytes);
            int extra = BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes);
            while (extra > 0)
            {
                var piece = Take(Math.Min(extra, _buffer.Length));
                headerCrc = Crc32.Append(headerCrc, piece);
                extra -= piece.Length;
            }
        }
        // FNAME and FCOMMENT: zero-terminated.
        if ((flags & 0x08) != 0) headerCrc = SkipZeroTerminated(headerCrc);
        if ((flags & 0x10) != 0) headerCrc = SkipZeroTerminated(headerCrc);
        if ((flags & 0x02) != 0 && BinaryPrimitives.ReadUInt16LittleEndian(Take(2)) != (ushort)headerCrc)
        {
            throw new InvalidDataException("its gzip header fails its check (FHCRC): the file is corrupt.");
        }
        _anyMember = true;
        _crc = 0;
        _length = 0;
        _inflaterSawEnd = false;
        _lastPieceAt = _start;
        _member = new DeflateStream(new Feed(this), CompressionMode.Decompress, leaveOpen: true);
        return true;
    }

    /// <summary>After a member's data: finds and checks its trailer, and leaves the reading just past it.</summary>
    private void EndMember()
    {
        _member!.Dispose();
        _member = null;
        if (_inflaterSawEnd) throw Truncated();
        // Keep the last piece given to the inflater, and make sure eight bytes past its end are here when the file has them.
        Array.Copy(_buffer, _lastPieceAt, _buffer, 0, _end - _lastPieceAt);
        _end -= _lastPieceAt;
        _start -= _lastPieceAt;
        _lastPieceAt = 0;
        while (_end < _start + TrailerLength && !_fileEnded) Fill(append: true);
        uint length = (uint)_length;
        bool crcMatches = false;
        bool lengthMatches = false;
        for (int at = 0; at <= _start && at + TrailerLength <= _end; at++)
        {
            bool crc = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(at)) == _crc;
            bool size = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(at + 4)) == length;
            if (crc && size)
            {
                _start = at + TrailerLength;
                return;
            }
            crcMatches |= crc;
            lengthMatches |= size;
        }
        if (lengthMatches) throw new InvalidDataException("its data fails the gzip CRC-32 check: the file is corrupt.");
        if (crcMatches) throw new InvalidDataException($"its data's length ({_length:N0} bytes) is not the length its gzip trailer records: the file is corrupt.");
        if (_end < _start + TrailerLength) throw Truncated();
        throw new InvalidDataException("its data matches neither the CRC-32 nor the length its gzip trailer records: the file is corrupt.");
    }

    private static InvalidDataException Truncated() =>
        new("the gzip data ends before its end: the file was cut short (an interrupted copy, download or write?).");

    private uint SkipZeroTerminated(uint headerCrc)
    {
        while (true)
        {
            var piece = Take(1);
            headerCrc = Crc32.Append(headerCrc, piece);
            if (piece[0] == 0) return headerCrc;
        }
    }

    /// <summary>The next <paramref name="count"/> bytes of the header, which must be there.</summary>
    private ReadOnlySpan<byte> Take(int count)
    {
        if (!Available(count)) throw Truncated();
        var bytes = _buffer.AsSpan(_start, count);
        _start += count;
        return bytes;
    }

    /// <summary>Whether <paramref name="count"/> unread bytes are in the buffer, reading more as needed.</summary>
    private bool Available(int count)
    {
        if (_end - _start >= count) return true;
        Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
        while (_end < count && !_fileEnded) Fill(append: true);
        return _end >= count;
    }

    private void Fill(bool append)
    {
        if (!append) _start = _end = 0;
        int read = _file.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _fileEnded = true;
        _end += read;
    }

    /// <summary>Gives the inflater the next piece of the file.</summary>
    private int Give(Span<byte> into)
    {
        if (_start == _end)
        {
            // The inflater has used everything it was given: the buffer can start over.
            if (!_fileEnded) Fill(append: false);
            if (_start == _end)
            {
                _inflaterSawEnd = true;
                return 0;
            }
        }
        int n = Math.Min(into.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(into);
        _lastPieceAt = _start;
        _start += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _member?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>What the inflater reads from.</summary>
    private sealed class Feed : ReadOnlyStream
    {
        private readonly GzipInput _owner;

        public Feed(GzipInput owner) => _owner = owner;

        public override int Read(byte[] buffer, int offset, int count) => _owner.Give(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => _owner.Give(buffer);
    }
}
