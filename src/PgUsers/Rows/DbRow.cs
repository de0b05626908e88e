using System.Text;

namespace PgUsers;

/// <summary>
/// A row of Invoke-DbQuery. Each result set gets its own subclass (see <see cref="Rows.RowTypes"/>) with one
/// ordinary .NET property per column, in column order, so every cmdlet downstream sees plain properties.
/// </summary>
public abstract class DbRow
{
    /// <summary>The column values, SQL NULL as null; the generated properties read and write these.</summary>
    protected readonly object?[] Values;

    private readonly string[] _names;

    /// <summary>Called by the generated subclass.</summary>
    protected DbRow(string[] names, object?[] values)
    {
        _names = names;
        Values = values;
    }

    /// <summary>@{name=value; ...}, as PowerShell shows a PSCustomObject in a string.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("@{");
        for (int i = 0; i < _names.Length; i++)
        {
            if (i > 0) text.Append("; ");
            text.Append(_names[i]).Append('=').Append(Values[i]);
        }
        return text.Append('}').ToString();
    }
}
