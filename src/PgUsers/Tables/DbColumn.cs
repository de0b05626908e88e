namespace PgUsers;

/// <summary>A column of a table, as Get-DbTable reflects it from the catalog.</summary>
public sealed class DbColumn
{
    internal DbColumn(TableColumn column)
    {
        Name = column.Name;
        Type = column.SqlType;
        Nullable = column.Nullable;
        Default = column.DefaultSql;
        Identity = column.Identity switch { 'a' => "ALWAYS", 'd' => "BY DEFAULT", _ => null };
        Generated = column.Generated;
        ElementType = column.ElementType;
        MaxLength = column.MaxLength;
        Precision = column.Precision;
        Scale = column.Scale;
        EnumLabels = column.EnumLabels?.ToArray();
        DomainBaseType = column.DomainBase;
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }
    /// <summary>The type as format_type writes it, such as character varying(20) or numeric(10,2).</summary>
    public string Type { get; }
    /// <summary>Whether the column takes NULL (false for NOT NULL, and for a domain that is NOT NULL).</summary>
    public bool Nullable { get; }
    /// <summary>The DEFAULT expression (or the generation expression of a generated column), or null.</summary>
    public string? Default { get; }
    /// <summary>ALWAYS or BY DEFAULT for an identity column, else null.</summary>
    public string? Identity { get; }
    /// <summary>True for a generated (computed, STORED) column.</summary>
    public bool Generated { get; }
    /// <summary>An array's element type, or null.</summary>
    public string? ElementType { get; }
    /// <summary>varchar(n)/char(n)'s n, or null.</summary>
    public int? MaxLength { get; }
    /// <summary>numeric(p,s)'s p, or null.</summary>
    public int? Precision { get; }
    /// <summary>numeric(p,s)'s s, or null.</summary>
    public int? Scale { get; }
    /// <summary>An enum's labels in order, or null.</summary>
    public string[]? EnumLabels { get; }
    /// <summary>A domain's base type, or null.</summary>
    public string? DomainBaseType { get; }

    /// <summary>name type.</summary>
    public override string ToString() => $"{Name} {Type}";
}
