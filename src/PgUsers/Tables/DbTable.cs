namespace PgUsers;

/// <summary>A table (or view, materialized view, partitioned or foreign table) as Get-DbTable reflects it from the catalog.</summary>
public sealed class DbTable
{
    internal DbTable(string schema, string name, string kind, DbColumn[] columns, string[] primaryKey, string[] uniqueConstraints,
        string[] foreignKeys, string[] indexes, long? estimatedRows, long? sizeBytes)
    {
        Schema = schema;
        Name = name;
        Kind = kind;
        Columns = columns;
        PrimaryKey = primaryKey;
        UniqueConstraints = uniqueConstraints;
        ForeignKeys = foreignKeys;
        Indexes = indexes;
        EstimatedRows = estimatedRows;
        SizeBytes = sizeBytes;
    }

    /// <summary>The schema.</summary>
    public string Schema { get; }
    /// <summary>The table's name.</summary>
    public string Name { get; }
    /// <summary>table, partitioned table, view, materialized view or foreign table.</summary>
    public string Kind { get; }
    /// <summary>The columns, in order.</summary>
    public DbColumn[] Columns { get; }
    /// <summary>The primary key's columns, in key order (empty when there is none).</summary>
    public string[] PrimaryKey { get; }
    /// <summary>Each unique constraint, as name (columns).</summary>
    public string[] UniqueConstraints { get; }
    /// <summary>Each foreign key, as name: FOREIGN KEY (…) REFERENCES ….</summary>
    public string[] ForeignKeys { get; }
    /// <summary>Each index, as CREATE INDEX would make it.</summary>
    public string[] Indexes { get; }
    /// <summary>The planner's estimate of the row count (null until the table is first analyzed, and for views).</summary>
    public long? EstimatedRows { get; }
    /// <summary>Bytes on disk, indexes and TOAST included (null for views).</summary>
    public long? SizeBytes { get; }

    /// <summary>schema.name.</summary>
    public override string ToString() => $"{Schema}.{Name}";
}
