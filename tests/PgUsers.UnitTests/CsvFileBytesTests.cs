using System.IO.Compression;
using System.Text;

namespace PgUsers.UnitTests;

/// <summary>The bytes under the CSV cmdlets: gzip's CRC-32, strict gzip members, strict decoding, where an export's character is.</summary>
public sealed class CsvFileBytesTests
{
    [Fact]
    public void Crc32_is_gzip_s_check_value_whatever_the_pieces()
    {
        Assert.Equal(0xCBF43926u, Crc32.Append(0, "123456789"u8));
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        uint whole = Crc32.Append(0, data);
        Assert.Equal(whole, Crc32.Append(Crc32.Append(0, data.AsSpan(0, 13)), data.AsSpan(13)));
        Assert.Equal(0u, Crc32.Append(0, ReadOnlySpan<byte>.Empty));
    }

    private static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var target = new MemoryStream();
        using (var zip = new GZipStream(target, level, leaveOpen: true)) zip.Write(data);
        return target.ToArray();
    }

    private static byte[] ReadGzip(byte[] file, int chunk = 4096)
    {
        using var input = new GzipInput(new MemoryStream(file));
        using var output = new MemoryStream();
        var buffer = new byte[chunk];
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0) output.Write(buffer, 0, read);
        return output.ToArray();
    }

    private static byte[] Sample(int length) => Enumerable.Range(0, length).Select(i => (byte)"abc,def\n0123456789"[i % 18]).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public void A_whole_gzip_reads_back_in_any_read_size(int length)
    {
        var data = Sample(length);
        Assert.Equal(data, ReadGzip(Gzip(data)));
        Assert.Empty(ReadGzip(Array.Empty<byte>()));
        Assert.Equal(data, ReadGzip(Gzip(data, CompressionLevel.NoCompression), chunk: 1));
    }

    [Fact]
    public void Members_one_after_another_read_as_one_and_header_fields_are_skipped()
    {
        var first = Sample(70_000);
        var second = Sample(5);
        Assert.Equal(first.Concat(second).Concat(first), ReadGzip(Gzip(first).Concat(Gzip(second)).Concat(Gzip(first)).ToArray()));

        // FEXTRA, FNAME, FCOMMENT and FHCRC, as other gzip writers set them.
        var plain = Gzip(second);
        var header = new List<byte> { 0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3, 2, 0, (byte)'x', (byte)'y' };
        header.AddRange("name.csv\0comment\0"u8.ToArray());
        uint crc = Crc32.Append(0, header.ToArray());
        header.Add((byte)crc);
        header.Add((byte)(crc >> 8));
        Assert.Equal(second, ReadGzip(header.Concat(plain.Skip(10)).ToArray()));
    }

    [Theory]
    [InlineData("cut", "ends before its end")]
    [InlineData("no trailer", "ends before its end")]
    [InlineData("half a trailer", "ends before its end")]
    [InlineData("crc", "CRC-32")]
    [InlineData("length", "length")]
    [InlineData("header", "ends before its end")]
    [InlineData("text", "not a gzip file")]
    [InlineData("after", "after the end")]
    [InlineData("method", "compression method 7")]
    [InlineData("corrupt", "corrupt")]
    public void A_gzip_that_is_not_whole_is_refused_saying_why(string damage, string why)
    {
        var whole = Gzip(Sample(200_000));
        byte[] file = damage switch
        {
            "cut" => whole[..(whole.Length / 2)],
            "no trailer" => whole[..^8],
            "half a trailer" => whole[..^3],
            "crc" => Flip(whole, whole.Length - 6),
            "length" => Flip(whole, whole.Length - 2),
            "header" => whole[..5],
            "text" => "id,name\n1,x\n"u8.ToArray(),
            "after" => whole.Concat(new byte[] { 0, 0 }).ToArray(),
            "method" => Set(whole, 2, 7),
            _ => Set(Set(whole, 10, 0xFF), 11, 0xFF),
        };
        var error = Assert.ThrowsAny<InvalidDataException>(() => ReadGzip(file));
        Assert.Contains(why, error.Message);
    }

    private static byte[] Flip(byte[] bytes, int at) => Set(bytes, at, (byte)(bytes[at] ^ 0xFF));

    private static byte[] Set(byte[] bytes, int at, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] = value;
        return copy;
    }

    private static string ReadText(byte[] bytes, Encoding encoding, int chunk = 1000)
    {
        using var reader = new StrictTextReader(new MemoryStream(bytes), encoding, "f.csv");
        var text = new StringBuilder();
        var buffer = new char[chunk];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0) text.Append(buffer, 0, read);
        return text.ToString();
    }

    [Fact]
    public void Text_decodes_as_StreamReader_would_with_a_byte_order_mark_winning()
    {
        string text = string.Concat(Enumerable.Repeat("Пётр,😀,café\r\n", 20_000));
        Assert.Equal(text, ReadText(Encoding.UTF8.GetBytes(text), Encoding.UTF8));
        Assert.Equal(text, ReadText(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(), Encoding.Latin1));
        Assert.Equal(text, ReadText(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(), Encoding.UTF8, chunk: 1));
        Assert.Equal(text, ReadText(Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray(), Encoding.UTF8));
        var utf32 = new UTF32Encoding(bigEndian: false, byteOrderMark: true);
        Assert.Equal(text, ReadText(utf32.GetPreamble().Concat(utf32.GetBytes(text)).ToArray(), Encoding.UTF8));
        Assert.Equal("", ReadText(Array.Empty<byte>(), Encoding.UTF8));
    }

    [Theory]
    [InlineData(10, 2)]
    [InlineData(65_535, 5_000)]
    [InlineData(65_536, 5_000)]
    [InlineData(200_003, 20_000)]
    public void Bytes_the_encoding_does_not_define_fail_with_their_line_and_offset(int near, int lines)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, lines).Select(i => $"{i},line {i}\n"))).ToList();
        int at = Math.Min(near, bytes.Count - 1);
        while (bytes[at] == '\n') at++;
        bytes[at] = 0xE9;
        int line = 1 + bytes.Take(at).Count(b => b == '\n');
        var error = Assert.Throws<CsvDecodingException>(() => ReadText(bytes.ToArray(), Encoding.UTF8));
        Assert.Equal((line, at), ((int)error.Line, (int)error.Offset));
        Assert.Contains($"f.csv, line {line}, byte {at}: the byte E9 is not utf-8 text", error.Message);
    }

    [Fact]
    public void A_sequence_cut_at_the_end_of_the_file_is_refused_too()
    {
        var error = Assert.Throws<CsvDecodingException>(() => ReadText("a\nb"u8.ToArray().Append((byte)0xE2).Append((byte)0x82).ToArray(), Encoding.UTF8));
        Assert.Equal((2L, 3L), (error.Line, error.Offset));
    }

    [Theory]
    [InlineData("a,b\n1,x", 2, 1)]
    [InlineData("a,b\n1,x\n", 3, 0)]
    [InlineData("a,b\n1,\"x,\ny\",z", 2, 2)]
    [InlineData("a,b\r\n\r\n1,2\r\n3", 3, 0)]
    [InlineData("\"a\"\"b\",c", 1, 1)]
    public void Track_says_which_record_and_field_the_text_ends_in(string text, long record, int field)
    {
        var scanner = new CsvScanner(',');
        scanner.Track(text.AsSpan(0, text.Length / 2));
        scanner.Track(text.AsSpan(text.Length / 2));
        Assert.Equal((record, field), (scanner.Record, scanner.Field));
    }

    [Fact]
    public void Long_values_in_messages_are_cut_to_a_short_prefix()
    {
        Assert.Equal("'short'", CsvText.Excerpt("short"));
        Assert.Equal($"'{new string('x', 40)}…' (100,000 characters)", CsvText.Excerpt(new string('x', 100_000)));
        string server = $"invalid input syntax for type bigint: \"{new string('7', 200_000)}\"";
        Assert.Equal($"invalid input syntax for type bigint: \"{new string('7', 40)}…\" (200,000 characters)", CsvText.ShortenQuoted(server));
        Assert.Equal("value \"short\" stays", CsvText.ShortenQuoted("value \"short\" stays"));
    }
}
