using static PgUsers.UnitTests.BigEndian;
using PgUsers.Driver;
using PgUsers.Rows;

namespace PgUsers.UnitTests;

/// <summary>
/// The module's own binary COPY encoding (CopyBuffer, CopyValues.Encode): the stream's frame and each kind's bytes.
/// The server-side test WriteDbTableTypeTests.Rows_encoded_by_the_module_store_what_Npgsqls_importer_stores checks
/// the same values against Npgsql's importer through a real server.
/// </summary>
public sealed class CopyEncodingTests
{
    private static byte[] Field(CopyColumn column, object? value)
    {
        var buffer = new CopyBuffer(64);
        buffer.Clear();   // drop the header: the field alone
        CopyValues.Encode(buffer, value, column);
        return buffer.Bytes[..buffer.Length];
    }



    private static byte[] Framed(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void A_stream_is_the_header_rows_of_counted_fields_and_the_trailer()
    {
        var buffer = new CopyBuffer(8);   // small: it grows as the rows come
        var columns = new[] { new CopyColumn("a", ColumnType.Integer), new CopyColumn("b", ColumnType.Varchar) };
        for (int row = 0; row < 1000; row++)
        {
            buffer.StartRow(columns.Length);
            CopyValues.Encode(buffer, row, columns[0]);
            CopyValues.Encode(buffer, row % 3 == 0 ? null : new string('x', row), columns[1]);
        }
        buffer.WriteTrailer();
        var bytes = buffer.Bytes[..buffer.Length];
        Assert.Equal(new byte[] { (byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0 }, bytes[..19]);
        Assert.Equal(new byte[] { 0xFF, 0xFF }, bytes[^2..]);
        var counter = new BinaryCopyCounter();
        counter.Add(bytes);
        Assert.True(counter.Ended);
        Assert.Equal(1000L, counter.Rows);
    }

    [Fact]
    public void Each_plain_kind_is_written_in_PostgreSQLs_binary_form()
    {
        Assert.Equal(Framed(Int32(-1)), Field(new("c", ColumnType.Integer), null));
        Assert.Equal(Framed(Int32(8), Int64(-2)), Field(new("c", ColumnType.BigInt), -2L));
        Assert.Equal(Framed(Int32(2), new byte[] { 0x80, 0x00 }), Field(new("c", ColumnType.SmallInt), short.MinValue));
        Assert.Equal(Framed(Int32(4), new byte[] { 0x3F, 0xC0, 0, 0 }), Field(new("c", ColumnType.Real), 1.5f));
        Assert.Equal(Framed(Int32(8), new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0 }), Field(new("c", ColumnType.Double), -0.0));
        Assert.Equal(Framed(Int32(1), new byte[] { 1 }), Field(new("c", ColumnType.Boolean), true));
        Assert.Equal(Framed(Int32(6), "é😀"u8.ToArray()), Field(new("c", ColumnType.Varchar), "é😀"));
        Assert.Equal(Framed(Int32(3), new byte[] { 1 }, "{}"u8.ToArray()), Field(new("c", ColumnType.Jsonb), "{}"));
        Assert.Equal(Framed(Int32(2), "{}"u8.ToArray()), Field(new("c", ColumnType.Json), "{}"));
        Assert.Equal(Framed(Int32(0)), Field(new("c", ColumnType.Bytea), Array.Empty<byte>()));
        Assert.Equal(Framed(Int32(16), Convert.FromHexString("0f8fad5bd9cb469fa16570867728950e")),
            Field(new("c", ColumnType.Uuid), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")));
    }

    [Fact]
    public void Dates_and_times_count_from_2000_and_MinValue_and_MaxValue_are_infinities()
    {
        Assert.Equal(Framed(Int32(4), Int32(0)), Field(new("c", ColumnType.Date), new DateTime(2000, 1, 1)));
        Assert.Equal(Framed(Int32(4), Int32(-1)), Field(new("c", ColumnType.Date), new DateTime(1999, 12, 31)));
        Assert.Equal(Framed(Int32(4), Int32(int.MinValue)), Field(new("c", ColumnType.Date), DateTime.MinValue));
        Assert.Equal(Framed(Int32(8), Int64(1_500_000)), Field(new("c", ColumnType.Timestamp), new DateTime(2000, 1, 1, 0, 0, 1, 500)));
        // Ticks below a microsecond are dropped, toward zero, as Npgsql does.
        Assert.Equal(Framed(Int32(8), Int64(0)), Field(new("c", ColumnType.TimestampTz), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(-9)));
        Assert.Equal(Framed(Int32(8), Int64(long.MaxValue)), Field(new("c", ColumnType.Timestamp), DateTime.MaxValue));
        // An interval: the time within the day in microseconds, the days, no months.
        Assert.Equal(Framed(Int32(16), Int64(-7_200_000_000), Int32(-1), Int32(0)), Field(new("c", ColumnType.Interval), TimeSpan.FromHours(-26)));
    }

    [Fact]
    public void Numeric_is_base_10000_digits_placed_by_a_weight_with_the_decimals_own_scale()
    {
        static byte[] Numeric(short ndigits, short weight, short sign, short dscale, params short[] digits) =>
            Framed(new[] { Int32(8 + 2 * digits.Length), Int16(ndigits), Int16(weight), Int16(sign), Int16(dscale) }.Concat(digits.Select(Int16)).ToArray());
        var column = new CopyColumn("c", ColumnType.Numeric);
        Assert.Equal(Numeric(2, 0, 0, 2, 123, 4500), Field(column, 123.45m));
        Assert.Equal(Numeric(1, -1, 0x4000, 4, 1), Field(column, -0.0001m));
        Assert.Equal(Numeric(1, 1, 0, 0, 10), Field(column, 100000m));
        Assert.Equal(Numeric(0, 0, 0, 2), Field(column, 0.00m));
        Assert.Equal(Numeric(2, 0, 0, 3, 1, 5000), Field(column, 1.500m));
    }

    [Fact]
    public void Arrays_inet_and_cidr_go_through_the_importer()
    {
        Assert.True(CopyValues.Encodes(new CopyColumn[] { new("a", ColumnType.BigInt), new("b", ColumnType.Varchar), new("c", ColumnType.Timestamp) }));
        Assert.False(CopyValues.Encodes(new CopyColumn[] { new("a", ColumnType.BigInt), new("b", ColumnType.Integer, Array: true) }));
        Assert.True(CopyValues.Encodes(new CopyColumn[] { new("a", ColumnType.Numeric) }));
        Assert.False(CopyValues.Encodes(new CopyColumn[] { new("a", ColumnType.Inet) }));
        Assert.False(CopyValues.Encodes(new CopyColumn[] { new("a", ColumnType.Cidr) }));
        Assert.Throws<ArgumentException>(() => Field(new("c", ColumnType.BigInt), 1));
    }
}
