using System.Text;

namespace PgUsers.Files;

/// <summary>
/// A file's text in the given encoding (or the one its byte order mark names, as StreamReader reads
/// it), refusing bytes the encoding does not define: StreamReader would turn them into U+FFFD and
/// the load would store them. The error says where: the line, and the byte offset in the file (in
/// the decompressed text, for .gz).
/// </summary>
internal sealed class StrictTextReader : TextReader
{
    private readonly Stream _bytes;
    private readonly string _name;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _offsetOfBuffer;
    private long _line = 1;
    private bool _ended;
    private Encoding _encoding;
    private Decoder? _decoder;
    private int _pending = -1;

    /// <param name="bytes">The file's bytes.</param>
    /// <param name="encoding">The encoding to read when the file has no byte order mark.</param>
    /// <param name="name">The file's name, for messages.</param>
    public StrictTextReader(Stream bytes, Encoding encoding, string name)
    {
        _bytes = bytes;
        _encoding = encoding;
        _name = name;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> output)
    {
        if (output.IsEmpty) return 0;
        if (_pending >= 0)
        {
            output[0] = (char)_pending;
            _pending = -1;
            return 1;
        }
        if (output.Length == 1)
        {
            // A decoder needs room for a surrogate pair: the second half waits for the next call.
            Span<char> two = stackalloc char[2];
            int read = Read(two);
            if (read == 2) _pending = two[1];
            if (read > 0) output[0] = two[0];
            return Math.Min(read, 1);
        }
        _decoder ??= StartDecoding();
        while (true)
        {
            if (_start == _end && !_ended) Fill();
            int bytesUsed;
            int charsUsed;
            try
            {
                _decoder.Convert(_buffer.AsSpan(_start, _end - _start), output, flush: _ended, out bytesUsed, out charsUsed, out _);
            }
            catch (DecoderFallbackException e)
            {
                throw NotDecodable(e);
            }
            _line += output[..charsUsed].Count('\n');
            _start += bytesUsed;
            if (charsUsed > 0 || (_ended && _start == _end)) return charsUsed;
        }
    }

    public override int Peek() => throw new NotSupportedException();

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _bytes.Dispose();
        base.Dispose(disposing);
    }

    private void Fill()
    {
        _offsetOfBuffer += _end;
        _start = _end = 0;
        // Whole buffers (short only at the end), so UTF-16 and UTF-32 units never straddle two of them.
        while (_end < _buffer.Length)
        {
            int read = _bytes.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _ended = true;
                break;
            }
            _end += read;
        }
    }

    /// <summary>Reads the byte order mark, if any, and makes a decoder that throws on bytes it cannot decode.</summary>
    private Decoder StartDecoding()
    {
        Fill();
        var head = _buffer.AsSpan(0, _end);
        (Encoding? marked, int length) = head switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false), 3),
            [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
            _ => ((Encoding?)null, 0),
        };
        _start = length;
        var strict = (Encoding)(marked ?? _encoding).Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        _encoding = strict;
        return strict.GetDecoder();
    }

    private CsvDecodingException NotDecodable(DecoderFallbackException e)
    {
        // The characters before the bad bytes in this buffer were not handed out: count their line breaks now.
        int before = Math.Max(0, e.Index);
        var lenient = (Encoding)_encoding.Clone();
        lenient.DecoderFallback = DecoderFallback.ReplacementFallback;
        long line = _line + lenient.GetString(_buffer, _start, before).Count('\n');
        long offset = _offsetOfBuffer + _start + e.Index;
        byte[] bad = e.BytesUnknown ?? Array.Empty<byte>();
        string bytes = bad.Length == 1 ? $"the byte {bad[0]:X2} is" : $"the bytes {Convert.ToHexString(bad)} are";
        return new CsvDecodingException(
            $"{_name}, line {line}, byte {offset}: {bytes} not {_encoding.WebName} text. Pass -Encoding with the file's encoding "
            + "(such as latin1 or windows-1252 for Western European text, windows-1251 for Cyrillic).", line, offset, e);
    }
}
