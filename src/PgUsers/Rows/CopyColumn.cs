namespace PgUsers.Rows;

/// <summary>
/// A column that a COPY writes, with the kind its values are encoded as; <paramref name="Array"/> when
/// each value is a one-dimensional array of that kind.
/// </summary>
internal readonly record struct CopyColumn(string Name, ColumnType Type, bool Array = false);
