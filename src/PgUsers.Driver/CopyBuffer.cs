using System.Buffers.Binary;
using System.Text;

namespace PgUsers.Driver;

/// <summary>
/// Rows in PostgreSQL's binary COPY format, encoded into one growing byte array: the 19-byte header, then per
/// row a field count and each field as its length (-1 for NULL) and bytes, all big-endian, then the trailer.
/// </summary>
internal sealed class CopyBuffer
{
    // "PGCOPY\n\xff\r\n\0", no flags, no header extension.
    private static readonly byte[] s_header = { (byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private byte[] _bytes;

    public CopyBuffer(int capacity)
    {
        _bytes = new byte[Math.Max(capacity, s_header.Length)];
        s_header.CopyTo(_bytes, 0);
        Length = s_header.Length;
    }

    public byte[] Bytes => _bytes;

    public int Length { get; private set; }

    /// <summary>Forgets what was sent: the buffer fills from its start again.</summary>
    public void Clear() => Length = 0;

    public void StartRow(int fields) => WriteInt16((short)fields);

    /// <summary>The end of the data: a field count of -1.</summary>
    public void WriteTrailer() => WriteInt16(-1);

    public void WriteNull() => WriteInt32(-1);

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Room(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Room(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Room(8), value);

    public void WriteByte(byte value) => Room(1)[0] = value;

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Room(bytes.Length));

    /// <summary>A field of <paramref name="length"/> bytes follows: its length word.</summary>
    public void StartField(int length) => WriteInt32(length);

    /// <summary>A text field: its UTF-8 length, then its bytes, after <paramref name="prefix"/> (jsonb's version byte) when given.</summary>
    public void WriteTextField(string text, byte? prefix = null)
    {
        int extra = prefix is null ? 0 : 1;
        int most = s_utf8.GetMaxByteCount(text.Length);
        var field = Room(4 + extra + most);
        int length = s_utf8.GetBytes(text, field[(4 + extra)..]);
        if (prefix is byte b) field[4] = b;
        BinaryPrimitives.WriteInt32BigEndian(field, length + extra);
        Length -= most - length;   // give back what the worst case reserved
    }

    // Reserves count bytes at the end and returns them.
    private Span<byte> Room(int count)
    {
        if (Length + count > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
        var span = _bytes.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
