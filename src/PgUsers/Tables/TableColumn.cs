namespace PgUsers.Tables;

/// <summary>
/// One column of a table, as the catalog describes it (<see cref="TableCatalog"/>) or as a table the
/// module owns declares it (the users table): its name, type, constraints, and how PowerShell names it.
/// </summary>
internal sealed class TableColumn
{
    /// <summary>A declared column (the users table): its SQL type follows from the kind and length.</summary>
    public TableColumn(string name, string psName, ColumnType type, bool nullable = true, int? maxLength = null,
        bool settable = true, string? defaultSql = null, params string[] aliases)
    {
        Name = name;
        PsName = psName;
        Type = type;
        Nullable = nullable;
        MaxLength = maxLength;
        Settable = settable;
        DefaultSql = defaultSql;
        Aliases = aliases;
        Quoted = name;
        SqlType = type switch
        {
            ColumnType.BigInt => "BIGINT",
            ColumnType.Varchar => maxLength is int n ? $"VARCHAR({n})" : "TEXT",
            ColumnType.Timestamp => "TIMESTAMP",
            _ => throw new ArgumentException($"A declared column of type {type} needs its SQL type spelled out.", nameof(type)),
        };
    }

    /// <summary>A column read from the catalog.</summary>
    public TableColumn(string name, ColumnType type, string sqlType)
    {
        Name = name;
        PsName = name;
        Quoted = TableName.Quote(name);
        SqlType = sqlType;
        Type = type;
        Aliases = Array.Empty<string>();
        Settable = true;
    }

    /// <summary>Position in the table's column list, in every select list, COPY and value array.</summary>
    public int Ordinal { get; internal set; }

    /// <summary>The SQL column name, as the catalog has it.</summary>
    public string Name { get; }

    /// <summary>The name as an identifier, quoted where it needs to be (quote_ident; a declared column's name needs none).</summary>
    public string Quoted { get; init; }

    /// <summary>The property and parameter name PowerShell users see (the SQL name for a reflected table).</summary>
    public string PsName { get; }

    /// <summary>Other property names that bind to this column (besides <see cref="Name"/> and <see cref="PsName"/>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The kind of value, by the base type (an array's element's, a domain's).</summary>
    public ColumnType Type { get; }

    /// <summary>The type as format_type writes it, such as character varying(20), numeric(10,2), integer[].</summary>
    public string SqlType { get; }

    /// <summary>True when each value is a one-dimensional array of <see cref="Type"/>.</summary>
    public bool IsArray { get; init; }

    public bool Nullable { get; init; }

    /// <summary>Maximum length of varchar(n)/char(n) in characters (code points, as PostgreSQL counts them), or null.</summary>
    public int? MaxLength { get; init; }

    /// <summary>True for char(n): shorter values are padded and trailing spaces beyond n are dropped.</summary>
    public bool Padded { get; init; }

    /// <summary>numeric(p,s)'s precision and scale, or null for an unconstrained numeric.</summary>
    public int? Precision { get; init; }
    public int? Scale { get; init; }

    /// <summary>The column's DEFAULT expression, or null.</summary>
    public string? DefaultSql { get; init; }

    /// <summary>'a' for GENERATED ALWAYS AS IDENTITY, 'd' for BY DEFAULT, '\0' for none.</summary>
    public char Identity { get; init; }

    /// <summary>True for a generated (computed) column, which is never written.</summary>
    public bool Generated { get; init; }

    /// <summary>An array's element type as format_type writes it, or null.</summary>
    public string? ElementType { get; init; }

    /// <summary>An enum's labels in order (also through a domain), or null.</summary>
    public IReadOnlyList<string>? EnumLabels { get; init; }

    /// <summary>A domain's base type as format_type writes it, or null.</summary>
    public string? DomainBase { get; init; }

    /// <summary>
    /// False for the type categories whose text never starts with a space (numbers, booleans, dates and
    /// times, network addresses, bit strings, arrays, composites, geometry): a CSV field may then be trimmed.
    /// </summary>
    public bool MayStartWithSpace { get; init; } = true;

    /// <summary>Whether Set-DbUser may change it (the users key may not).</summary>
    public bool Settable { get; }

    /// <summary>Every property name that binds to this column, PowerShell's first.</summary>
    public IEnumerable<string> PropertyNames => Aliases.Prepend(Name).Prepend(PsName);

    /// <summary>How the engine's binary COPY writes it.</summary>
    public CopyColumn Copy => new(Name, Type, IsArray);

    /// <summary>The SQL name, so interpolated SQL reads naturally.</summary>
    public override string ToString() => Name;
}
