namespace PgUsers.Rows;

/// <summary>
/// The kinds of value a column holds, by its base type (a domain's, an array's element's): the strict
/// converter's rules and the engine's binary COPY encoding follow from it. Nothing here is one table's shape.
/// </summary>
internal enum ColumnType
{
    /// <summary>int8.</summary>
    BigInt,
    /// <summary>text, varchar(n), char(n), name: written as text.</summary>
    Varchar,
    /// <summary>timestamp without time zone.</summary>
    Timestamp,
    SmallInt,
    Integer,
    Numeric,
    Real,
    Double,
    Boolean,
    Date,
    TimestampTz,
    Uuid,
    Bytea,
    Inet,
    Cidr,
    Interval,
    Json,
    Jsonb,
    /// <summary>An enum: its label, written as text (the binary form of an enum is its label).</summary>
    Enum,
    /// <summary>Any other type: its text form, which the server parses (a load with one goes through a staging table).</summary>
    Other,
}
