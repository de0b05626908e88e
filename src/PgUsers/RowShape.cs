using System.Management.Automation;

namespace PgUsers;

/// <summary>The property names of one result set's rows: column names, duplicates made distinct.</summary>
internal sealed class RowShape
{
    public RowShape(IReadOnlyList<string> columns)
    {
        var names = new string[columns.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < columns.Count; i++)
        {
            // PowerShell property names are case-insensitive: a and A would collide too.
            string name = string.IsNullOrEmpty(columns[i]) ? "?column?" : columns[i];
            string candidate = name;
            for (int n = 1; !seen.Add(candidate); n++)
            {
                candidate = name + "_" + n;
            }
            names[i] = candidate;
        }
        Names = names;
    }

    public string[] Names { get; }

    public PSObject CreateRow(object?[] values)
    {
        var row = new PSObject();
        var properties = row.Properties;
        for (int i = 0; i < Names.Length; i++)
        {
            properties.Add(new PSNoteProperty(Names[i], values[i]));
        }
        return row;
    }
}
