namespace PgUsers.Rows;

/// <summary>The PostgreSQL types a described table uses; the engine maps each onto its COPY encoding.</summary>
internal enum ColumnType
{
    BigInt,
    Varchar,
    Timestamp,
}
