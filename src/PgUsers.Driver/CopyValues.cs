using Npgsql;
using NpgsqlTypes;

namespace PgUsers.Driver;

/// <summary>
/// Binary COPY's encoding of a converted value by its column's kind. Typed writes: no per-value type
/// resolution, which a million-row COPY would pay for each cell. The values come from the strict
/// converter, so each kind receives the CLR type it expects.
/// </summary>
internal static class CopyValues
{
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
