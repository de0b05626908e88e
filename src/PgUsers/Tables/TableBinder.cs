using System.Collections;
using System.Data;
using System.Management.Automation;

namespace PgUsers.Tables;

/// <summary>
/// Binds pipeline objects to a table's columns: hashtables, PSCustomObjects (Import-Csv rows among them),
/// DbRows, DataRows and any object's properties. A property binds to the column of the same name, else the
/// one equal ignoring case, else ignoring underscores as well (<see cref="TableDescription.Match"/>), or where
/// -ColumnMap sends it. Each value is converted strictly (<see cref="ColumnValues"/>); a property that names
/// no column is a problem of the record unless unknown properties are ignored.
/// </summary>
internal sealed class TableBinder
{
    private readonly TableDescription _table;
    private readonly IReadOnlyDictionary<string, TableColumn> _map;
    private readonly bool _ignoreUnknown;
    private readonly bool _keepIdentity;
    // Each property name seen, resolved once: its column, or null when it names none.
    private readonly Dictionary<string, TableColumn?> _resolved = new(StringComparer.Ordinal);
    // The columns of the last names met at each property position (only names that bind to a column).
    private (string? Name, TableColumn? Column)[] _byPosition = new (string?, TableColumn?)[16];
    private long _count;
    // The property names of each .NET type met (objects without instance members).
    private readonly Dictionary<Type, string[]> _typeProperties = new();

    /// <summary>Binds to <paramref name="table"/>; <paramref name="map"/> sends property names (any case) to columns whatever
    /// their names; <paramref name="ignoreUnknown"/> leaves out properties that name no column; <paramref name="keepIdentity"/>
    /// lets GENERATED ALWAYS identity columns be written.</summary>
    public TableBinder(TableDescription table, IReadOnlyDictionary<string, TableColumn> map, bool ignoreUnknown, bool keepIdentity)
    {
        _table = table;
        _map = map;
        _ignoreUnknown = ignoreUnknown;
        _keepIdentity = keepIdentity;
    }

    /// <summary>Generated columns the input gave and the load left out (they are computed by the server).</summary>
    public HashSet<string> GeneratedGiven { get; } = new(StringComparer.Ordinal);

    public TableRecord Bind(object? input)
    {
        long number = ++_count;
        var values = new object?[_table.Columns.Count];
        Array.Fill(values, ColumnValues.Absent);
        string? problem = null;
        switch (ColumnValues.Unwrap(input))
        {
            case null:
                problem = "it is $null, not an object with properties";
                break;
            case IDictionary dictionary:
                int position = 0;
                foreach (DictionaryEntry entry in dictionary) Set(values, entry.Key?.ToString() ?? "", position++, entry.Value, ref problem);
                break;
            case DataRow row:
                foreach (DataColumn column in row.Table.Columns) Set(values, column.ColumnName, column.Ordinal, row[column], ref problem);
                break;
            case string or ValueType:
                problem = $"it is a {ColumnValues.Unwrap(input)!.GetType().Name} ({ColumnValues.Show(input)}), not an object with properties";
                break;
            default:
                BindProperties(input as PSObject ?? PSObject.AsPSObject(input), values, ref problem);
                break;
        }
        var record = new TableRecord(number, values, problem);
        Check(record);
        return record;
    }

    /// <summary>
    /// An object's properties, each bound. Enumerating PSObject.Properties walks every adapter and costs
    /// about ten name lookups, so: a PSCustomObject's properties are its own members, read in place
    /// (<see cref="InstanceMembers"/>); any other object's are those of its type (found once per type) plus
    /// its own members, if any.
    /// </summary>
    private void BindProperties(PSObject pso, object?[] values, ref string? problem)
    {
        var own = InstanceMembers.Of(pso);
        if (own is not null && pso.BaseObject is PSCustomObject)
        {
            for (int i = 0; i < own.Count; i++)
            {
                if (own[i] is PSPropertyInfo property && InstanceMembers.IsUserProperty(property)) Read(property, i, values, ref problem);
            }
            return;
        }
        bool ownProperties = own is not null && HasUserProperty(own);
        var type = pso.BaseObject.GetType();
        if (!InstanceMembers.Available || ownProperties || !_typeProperties.TryGetValue(type, out var names))
        {
            var seen = new List<string>();
            foreach (var property in pso.Properties)
            {
                seen.Add(property.Name);
                Read(property, -1, values, ref problem);
            }
            if (InstanceMembers.Available && !ownProperties) _typeProperties[type] = seen.ToArray();
            return;
        }
        var properties = pso.Properties;
        foreach (string name in names)
        {
            if (properties[name] is { } property) Read(property, -1, values, ref problem);
        }
    }

    private static bool HasUserProperty(System.Collections.Specialized.OrderedDictionary own)
    {
        for (int i = 0; i < own.Count; i++)
        {
            if (own[i] is PSMemberInfo member && InstanceMembers.IsUserProperty(member)) return true;
        }
        return false;
    }

    private void Read(PSPropertyInfo property, int position, object?[] values, ref string? problem)
    {
        object? raw;
        try
        {
            raw = property.Value;
        }
        catch (GetValueException e)
        {
            problem ??= $"its property {property.Name} could not be read: {e.Message}";
            return;
        }
        Set(values, property.Name, position, raw, ref problem);
    }

    private void Set(object?[] values, string name, int position, object? raw, ref string? problem)
    {
        var column = Resolve(name, position, ref problem);
        if (column is null) return;
        if (column.Generated)
        {
            GeneratedGiven.Add(column.Name);
            return;
        }
        if (column.Identity == 'a' && !_keepIdentity)
        {
            problem ??= $"it gives {column.Name}, which is GENERATED ALWAYS AS IDENTITY (leave the property out to have it generated, or pass -KeepIdentity to store the given values)";
            return;
        }
        if (!ReferenceEquals(values[column.Ordinal], ColumnValues.Absent))
        {
            problem ??= $"more than one of its properties names the column {column.Name}";
            return;
        }
        if (ColumnValues.TryConvert(column, raw, out var value, out var why))
        {
            values[column.Ordinal] = value;
        }
        else
        {
            problem ??= why;
            values[column.Ordinal] = null;
        }
    }

    /// <summary>The column <paramref name="name"/> binds to; <paramref name="position"/> is its place among the object's properties, or -1.</summary>
    private TableColumn? Resolve(string name, int position, ref string? problem)
    {
        // Objects of one shape share their property names (the same strings, in the same order): no lookup then.
        if ((uint)position < (uint)_byPosition.Length && ReferenceEquals(_byPosition[position].Name, name)) return _byPosition[position].Column;
        var column = Resolve(name, ref problem);
        if (column is not null && position >= 0)
        {
            if (position >= _byPosition.Length) Array.Resize(ref _byPosition, Math.Max(position + 1, _byPosition.Length * 2));
            _byPosition[position] = (name, column);
        }
        return column;
    }

    private TableColumn? Resolve(string name, ref string? problem)
    {
        if (!_resolved.TryGetValue(name, out var column))
        {
            string? ambiguity = null;
            column = _map.TryGetValue(name, out var mapped) ? mapped : _table.Match(name, out ambiguity);
            if (ambiguity is not null)
            {
                problem ??= $"its property {name} could name any of the columns {ambiguity}; use -ColumnMap to say which";
                return null;
            }
            _resolved[name] = column;
        }
        if (column is null && !_ignoreUnknown)
        {
            problem ??= $"its property {name} names no column of {_table.QuotedName} (use -ColumnMap to send it to one, or -IgnoreUnknownProperties to leave it out)";
        }
        return column;
    }

    // A NOT NULL column the record left out must have something to fill it: a default, an identity, a generated value.
    private void Check(TableRecord record)
    {
        if (record.Problem is not null) return;
        foreach (var column in _table.Columns)
        {
            if (!record.Has(column.Ordinal) && !column.Nullable && column.DefaultSql is null && column.Identity == '\0' && !column.Generated)
            {
                record.Refuse($"it has no {column.Name}, and the column is NOT NULL without a default");
                return;
            }
        }
    }
}
