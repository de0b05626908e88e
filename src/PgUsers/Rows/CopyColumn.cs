namespace PgUsers.Rows;

/// <summary>A column that a COPY writes, with the type its values are encoded as.</summary>
internal readonly record struct CopyColumn(string Name, ColumnType Type);
