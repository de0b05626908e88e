using Npgsql;
using NpgsqlTypes;

namespace PgUsers.Driver;

/// <summary>
/// Binary COPY's encoding of a converted value by its column's kind. The values come from the strict
/// converter, so each kind receives the CLR type it expects. Two ways to the same bytes:
/// <list type="bullet">
/// <item><see cref="Encode"/>: the kinds whose binary form is plain (numbers, numeric, booleans, text, dates and
/// times, uuid, bytea, interval, json) are encoded here into a <see cref="CopyBuffer"/> sent as raw COPY data. Npgsql's
/// importer spends a parameter, a type resolution and an async state machine on every cell; this is what
/// lets a load from PowerShell keep up with a raw COPY while the pipeline thread shares the CPU.</item>
/// <item><see cref="Write"/>: a COPY with any other kind (arrays, inet, cidr) goes through Npgsql's
/// importer, a typed write per value.</item>
/// </list>
/// </summary>
internal static class CopyValues
{
    /// <summary>True when every column's kind is one <see cref="Encode"/> writes.</summary>
    public static bool Encodes(IReadOnlyList<CopyColumn> columns)
    {
        foreach (var column in columns)
        {
            if (column.Array || column.Type is ColumnType.Inet or ColumnType.Cidr) return false;
        }
        return true;
    }

    /// <summary>One field of a row: <paramref name="value"/> in <paramref name="column"/>'s binary form, with its length.</summary>
    public static void Encode(CopyBuffer buffer, object? value, CopyColumn column)
    {
        if (value is null)
        {
            buffer.WriteNull();
            return;
        }
        switch (column.Type)
        {
            case ColumnType.BigInt when value is long number: buffer.StartField(8); buffer.WriteInt64(number); break;
            case ColumnType.Integer when value is int number: buffer.StartField(4); buffer.WriteInt32(number); break;
            case ColumnType.SmallInt when value is short number: buffer.StartField(2); buffer.WriteInt16(number); break;
            case ColumnType.Real when value is float number: buffer.StartField(4); buffer.WriteInt32(BitConverter.SingleToInt32Bits(number)); break;
            case ColumnType.Double when value is double number: buffer.StartField(8); buffer.WriteInt64(BitConverter.DoubleToInt64Bits(number)); break;
            case ColumnType.Boolean when value is bool flag: buffer.StartField(1); buffer.WriteByte(flag ? (byte)1 : (byte)0); break;
            case ColumnType.Numeric when value is decimal number: WriteNumeric(buffer, number); break;
            // text, varchar, char, name, an enum's label, and what only the server parses (staged as text): UTF-8 text.
            case ColumnType.Varchar or ColumnType.Enum or ColumnType.Other or ColumnType.Json when value is string text: buffer.WriteTextField(text); break;
            case ColumnType.Jsonb when value is string json: buffer.WriteTextField(json, prefix: 1); break;   // jsonb's format version
            case ColumnType.Date when value is DateTime day: buffer.StartField(4); buffer.WriteInt32(Days(day)); break;
            case ColumnType.Timestamp or ColumnType.TimestampTz when value is DateTime time: buffer.StartField(8); buffer.WriteInt64(Microseconds(time)); break;
            case ColumnType.Uuid when value is Guid id:
                buffer.StartField(16);
                Span<byte> bytes = stackalloc byte[16];
                id.TryWriteBytes(bytes, bigEndian: true, out _);
                buffer.WriteBytes(bytes);
                break;
            case ColumnType.Bytea when value is byte[] data: buffer.StartField(data.Length); buffer.WriteBytes(data); break;
            case ColumnType.Interval when value is TimeSpan span:
                // Whole days apart from the time, as PostgreSQL keeps an interval; no months.
                buffer.StartField(16);
                buffer.WriteInt64((span.Ticks - span.Days * TimeSpan.TicksPerDay) / 10);
                buffer.WriteInt32(span.Days);
                buffer.WriteInt32(0);
                break;
            default: throw new ArgumentException($"A {value.GetType().Name} cannot be copied as {column.Type}.");
        }
    }

    /// <summary>
    /// numeric's binary form: base-10000 digits, most significant first, placed by the weight (the power of
    /// 10000 of the first digit), then the sign and the display scale (the decimal's own scale, trailing zeros kept).
    /// </summary>
    private static void WriteNumeric(CopyBuffer buffer, decimal number)
    {
        int scale = number.Scale;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(number, bits);
        UInt128 digits = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        // Scaled to a multiple of four decimal places, the base-10000 groups fall on the decimal point.
        int pad = (4 - scale % 4) % 4;
        for (int i = 0; i < pad; i++) digits *= 10;
        int fractionGroups = (scale + pad) / 4;
        Span<short> groups = stackalloc short[10];   // 28 significant digits and 3 of padding: at most 8 groups
        int count = 0;
        while (digits != 0)
        {
            groups[count++] = (short)(ulong)(digits % 10000);
            digits /= 10000;
        }
        int low = 0;
        while (low < count && groups[low] == 0) low++;   // trailing zero groups carry nothing
        int stored = count - low;
        buffer.StartField(8 + 2 * stored);
        buffer.WriteInt16((short)stored);
        buffer.WriteInt16((short)(stored == 0 ? 0 : count - 1 - fractionGroups));
        buffer.WriteInt16(number < 0 ? (short)0x4000 : (short)0);
        buffer.WriteInt16((short)scale);
        for (int i = count - 1; i >= low; i--) buffer.WriteInt16(groups[i]);
    }

    // DateTime.MinValue and MaxValue stand for -infinity and infinity, as Npgsql reads them back.
    private static int Days(DateTime day) => day.Ticks == DateTime.MaxValue.Ticks ? int.MaxValue
        : day.Ticks == DateTime.MinValue.Ticks ? int.MinValue
        : (int)((day.Date.Ticks - PgTime.TicksAt2000) / TimeSpan.TicksPerDay);

    // PostgreSQL keeps microseconds: the ticks below one are dropped.
    private static long Microseconds(DateTime time) => time.Ticks == DateTime.MaxValue.Ticks ? long.MaxValue
        : time.Ticks == DateTime.MinValue.Ticks ? long.MinValue
        : (time.Ticks - PgTime.TicksAt2000) / 10;

    public static void Write(NpgsqlBinaryImporter importer, object? value, CopyColumn column)
    {
        if (value is null)
        {
            importer.WriteNull();
            return;
        }
        if (column.Array)
        {
            WriteArray(importer, value, column.Type);
            return;
        }
        switch (column.Type)
        {
            case ColumnType.BigInt when value is long number: importer.Write(number, NpgsqlDbType.Bigint); break;
            case ColumnType.Integer when value is int number: importer.Write(number, NpgsqlDbType.Integer); break;
            case ColumnType.SmallInt when value is short number: importer.Write(number, NpgsqlDbType.Smallint); break;
            case ColumnType.Numeric when value is decimal number: importer.Write(number, NpgsqlDbType.Numeric); break;
            case ColumnType.Real when value is float number: importer.Write(number, NpgsqlDbType.Real); break;
            case ColumnType.Double when value is double number: importer.Write(number, NpgsqlDbType.Double); break;
            case ColumnType.Boolean when value is bool flag: importer.Write(flag, NpgsqlDbType.Boolean); break;
            case ColumnType.Varchar when value is string text: importer.Write(text, NpgsqlDbType.Varchar); break;
            // An enum's binary form is its label; the server checks it against the type's labels.
            case ColumnType.Enum or ColumnType.Other when value is string text: importer.Write(text, NpgsqlDbType.Text); break;
            case ColumnType.Date when value is DateTime day: importer.Write(day, NpgsqlDbType.Date); break;
            case ColumnType.Timestamp when value is DateTime time: importer.Write(time, NpgsqlDbType.Timestamp); break;
            case ColumnType.TimestampTz when value is DateTime time: importer.Write(time, NpgsqlDbType.TimestampTz); break;
            case ColumnType.Uuid when value is Guid id: importer.Write(id, NpgsqlDbType.Uuid); break;
            case ColumnType.Bytea when value is byte[] bytes: importer.Write(bytes, NpgsqlDbType.Bytea); break;
            case ColumnType.Inet when value is string address: importer.Write(new NpgsqlInet(address), NpgsqlDbType.Inet); break;
            case ColumnType.Cidr when value is string network: importer.Write(System.Net.IPNetwork.Parse(network), NpgsqlDbType.Cidr); break;
            case ColumnType.Interval when value is TimeSpan span: importer.Write(span, NpgsqlDbType.Interval); break;
            case ColumnType.Json when value is string json: importer.Write(json, NpgsqlDbType.Json); break;
            case ColumnType.Jsonb when value is string json: importer.Write(json, NpgsqlDbType.Jsonb); break;
            default: throw new ArgumentException($"A {value.GetType().Name} cannot be copied as {column.Type}.");
        }
    }

    private static void WriteArray(NpgsqlBinaryImporter importer, object value, ColumnType type)
    {
        switch (type)
        {
            case ColumnType.Inet when value is string?[] addresses:
                importer.Write(addresses.Select(a => a is null ? (NpgsqlInet?)null : new NpgsqlInet(a)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Inet);
                break;
            case ColumnType.Cidr when value is string?[] networks:
                importer.Write(networks.Select(a => a is null ? (System.Net.IPNetwork?)null : System.Net.IPNetwork.Parse(a)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Cidr);
                break;
            default:
                importer.Write(value, NpgsqlDbType.Array | Element(type));
                break;
        }
    }

    private static NpgsqlDbType Element(ColumnType type) => type switch
    {
        ColumnType.BigInt => NpgsqlDbType.Bigint,
        ColumnType.Integer => NpgsqlDbType.Integer,
        ColumnType.SmallInt => NpgsqlDbType.Smallint,
        ColumnType.Numeric => NpgsqlDbType.Numeric,
        ColumnType.Real => NpgsqlDbType.Real,
        ColumnType.Double => NpgsqlDbType.Double,
        ColumnType.Boolean => NpgsqlDbType.Boolean,
        ColumnType.Date => NpgsqlDbType.Date,
        ColumnType.Timestamp => NpgsqlDbType.Timestamp,
        ColumnType.TimestampTz => NpgsqlDbType.TimestampTz,
        ColumnType.Uuid => NpgsqlDbType.Uuid,
        ColumnType.Bytea => NpgsqlDbType.Bytea,
        ColumnType.Interval => NpgsqlDbType.Interval,
        ColumnType.Json => NpgsqlDbType.Json,
        ColumnType.Jsonb => NpgsqlDbType.Jsonb,
        _ => NpgsqlDbType.Text,
    };
}
