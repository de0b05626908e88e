namespace PgUsers.Rows;

/// <summary>
/// Counts the tuples of a binary COPY stream as its bytes pass by, in chunks cut anywhere, without
/// decoding a value: the header, then per tuple a 16-bit field count (-1 ends the data) and per field a
/// 32-bit length (-1 for NULL) and that many bytes.
/// </summary>
internal sealed class BinaryCopyCounter
{
    // Signature (11 bytes) and flags (4): skipped; then the header extension's length.
    private const int FixedHeader = 15;

    private enum Part { Skip, HeaderExtension, FieldCount, FieldLength, Ended }

    private Part _part = Part.Skip;
    private Part _afterSkip = Part.HeaderExtension;
    private long _skip = FixedHeader;
    private int _need;
    private int _number;
    private int _fieldsLeft;

    /// <summary>Tuples begun so far; every tuple once the stream has ended.</summary>
    public long Rows { get; private set; }

    /// <summary>True once the trailer (field count -1) has passed.</summary>
    public bool Ended => _part == Part.Ended;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length && _part != Part.Ended)
        {
            if (_part == Part.Skip)
            {
                int take = (int)Math.Min(_skip, bytes.Length - at);
                at += take;
                _skip -= take;
                if (_skip == 0) Next(_afterSkip);
                continue;
            }
            // A big-endian number, possibly split across chunks.
            _number = (_number << 8) | bytes[at++];
            if (--_need > 0) continue;
            int value = _part == Part.FieldCount ? (short)_number : _number;
            switch (_part)
            {
                case Part.HeaderExtension:
                    SkipThen(value, Part.FieldCount);
                    break;
                case Part.FieldCount when value < 0:
                    _part = Part.Ended;
                    break;
                case Part.FieldCount:
                    Rows++;
                    _fieldsLeft = value;
                    Next(_fieldsLeft > 0 ? Part.FieldLength : Part.FieldCount);
                    break;
                case Part.FieldLength:
                    _fieldsLeft--;
                    SkipThen(Math.Max(0, value), _fieldsLeft > 0 ? Part.FieldLength : Part.FieldCount);
                    break;
            }
        }
    }

    private void SkipThen(long bytes, Part then)
    {
        if (bytes == 0)
        {
            Next(then);
            return;
        }
        _skip = bytes;
        _afterSkip = then;
        _part = Part.Skip;
    }

    private void Next(Part part)
    {
        _part = part;
        _number = 0;
        _need = part == Part.FieldCount ? 2 : 4;
    }
}
