namespace PgUsers.Users;

/// <summary>One column of the users table: how SQL names it, how PowerShell names it, what it holds.</summary>
internal sealed class UserColumn
{
    public UserColumn(string name, string psName, ColumnType type, bool nullable = true, int? maxLength = null,
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
    }

    /// <summary>Position in <see cref="UserTable.Columns"/>, in every select list, COPY and value array.</summary>
    public int Ordinal { get; internal set; }

    /// <summary>The SQL column name (a plain lower-case identifier, so it needs no quoting).</summary>
    public string Name { get; }

    /// <summary>The property and parameter name PowerShell users see.</summary>
    public string PsName { get; }

    /// <summary>Other property names that bind to this column (besides <see cref="Name"/> and <see cref="PsName"/>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    public ColumnType Type { get; }
    public bool Nullable { get; }

    /// <summary>Maximum length in characters (code points, as PostgreSQL counts them), or null.</summary>
    public int? MaxLength { get; }

    /// <summary>Whether Set-DbUser may change it (the key may not).</summary>
    public bool Settable { get; }

    /// <summary>The column's DEFAULT expression, or null.</summary>
    public string? DefaultSql { get; }

    /// <summary>Every property name that binds to this column.</summary>
    public IEnumerable<string> PropertyNames => Aliases.Prepend(Name).Prepend(PsName);

    public string SqlType => Type switch
    {
        ColumnType.BigInt => "BIGINT",
        ColumnType.Varchar => MaxLength is int n ? $"VARCHAR({n})" : "TEXT",
        ColumnType.Timestamp => "TIMESTAMP",
        _ => throw new InvalidOperationException(Type.ToString()),
    };

    /// <summary>The SQL name, so interpolated SQL reads naturally.</summary>
    public override string ToString() => Name;
}
