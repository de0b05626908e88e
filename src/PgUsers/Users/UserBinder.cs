using System.Collections;
using System.Management.Automation;

namespace PgUsers.Users;

/// <summary>
/// Reads pipeline objects as users through <see cref="UserTable"/>: PgUsers.User objects, hashtables,
/// PSCustomObjects and Import-Csv rows, with PowerShell names (TelegramId) or column names
/// (as the table names them), any case. Properties the table does not know are ignored. Each value is converted
/// strictly (<see cref="ColumnValues"/>). Named parameters, when given, apply to every record and win.
/// </summary>
/// <remarks>
/// PowerShell's own binder costs several microseconds per property per object, and enumerating an
/// object's properties costs more than looking them up by name. So each column is looked up by name,
/// trying first the name that matched on the previous object: objects of one shape cost one lookup
/// per column.
/// </remarks>
internal sealed class UserBinder
{
    private readonly object?[] _named;
    private readonly bool _anyNamed;
    // Each column's property names, and which of them the last object had (-1: none yet).
    private static readonly string[][] s_names = UserTable.Columns.Select(c => c.PropertyNames.Distinct(StringComparer.OrdinalIgnoreCase).ToArray()).ToArray();
    private readonly int[] _hits = Enumerable.Repeat(-1, UserTable.Columns.Length).ToArray();
    private long _count;

    /// <param name="named">Values given as named parameters, in table order (<see cref="ColumnValues.Absent"/> where not given).</param>
    public UserBinder(object?[] named)
    {
        _named = named;
        _anyNamed = named.Any(v => !ReferenceEquals(v, ColumnValues.Absent));
    }

    /// <summary>
    /// When true, a PgUsers.User input gives only its key while named values are given: it is a row read
    /// from the table, and rewriting its other columns would undo concurrent changes (Set-DbUser).
    /// </summary>
    public bool StoredUsersGiveKeyOnly { get; init; }

    /// <summary>When true, a bare value (a number or a string) is the key (Remove-DbUser).</summary>
    public bool ScalarIsKey { get; init; }

    /// <summary>The next record: the piped object when <paramref name="piped"/>, else the named parameters alone.</summary>
    public UserRecord Next(bool piped, object? input) => piped ? Bind(input) : FromNamed();

    /// <summary>The column parameters a command was given by name (already converted strictly), in table order.</summary>
    public static object?[] Named(IDictionary<string, object> boundParameters)
    {
        var values = NewAbsent();
        foreach (var column in UserTable.Columns)
        {
            if (boundParameters.TryGetValue(column.PsName, out var value)) values[column.Ordinal] = value;
        }
        return values;
    }

    /// <summary>The record made of the named parameters alone (no pipeline input).</summary>
    public UserRecord FromNamed() => Finish(++_count, (object?[])_named.Clone(), null);

    public UserRecord Bind(object? input)
    {
        long number = ++_count;
        var values = NewAbsent();
        string? problem = null;
        object? target = ColumnValues.Unwrap(input);
        switch (target)
        {
            case User user:
                foreach (var column in UserTable.Columns)
                {
                    if (column == UserTable.Key || !(StoredUsersGiveKeyOnly && _anyNamed)) values[column.Ordinal] = user[column];
                }
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key && UserTable.ForProperty(key) is { } column) Set(values, column, entry.Value, ref problem);
                }
                break;
            case null:
                problem = "it is $null, not a user";
                break;
            case string or ValueType when ScalarIsKey:
                Set(values, UserTable.Key, target, ref problem);
                break;
            case string or ValueType:
                problem = $"it is a {target.GetType().Name} ({ColumnValues.Show(target)}), not an object with user properties";
                break;
            default:
                BindProperties(input is PSObject pso ? pso : PSObject.AsPSObject(target), values, ref problem);
                break;
        }
        return Finish(number, values, problem);
    }

    private void BindProperties(PSObject pso, object?[] values, ref string? problem)
    {
        // A PSCustomObject's properties are its own members: looked up there directly (InstanceMembers), not through every adapter.
        var own = pso.BaseObject is PSCustomObject ? InstanceMembers.Of(pso) : null;
        var properties = own is null ? pso.Properties : null;
        PSPropertyInfo? Find(string name) => own is not null ? InstanceMembers.Property(own, name) : properties![name];
        foreach (var column in UserTable.Columns)
        {
            // The name that matched last time first: one lookup per column for every object of the same shape.
            var names = s_names[column.Ordinal];
            int hint = _hits[column.Ordinal];
            var property = hint >= 0 ? Find(names[hint]) : null;
            for (int i = 0; property is null && i < names.Length; i++)
            {
                if (i == hint) continue;
                property = Find(names[i]);
                if (property is not null) _hits[column.Ordinal] = i;
            }
            if (property is null) continue;
            object? raw;
            try
            {
                raw = property.Value;
            }
            catch (GetValueException e)
            {
                problem ??= $"its property {property.Name} could not be read: {e.Message}";
                continue;
            }
            Set(values, column, raw, ref problem);
        }
    }

    private static void Set(object?[] values, TableColumn column, object? raw, ref string? problem)
    {
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

    private UserRecord Finish(long number, object?[] values, string? problem)
    {
        if (_anyNamed)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!ReferenceEquals(_named[i], ColumnValues.Absent)) values[i] = _named[i];
            }
        }
        var record = new UserRecord(number, values, problem);
        if (record.Problem is null && !record.Has(UserTable.Key)) record.Refuse($"it has no {UserTable.Key.Name} (or {UserTable.Key.PsName}) property");
        return record;
    }

    public static object?[] NewAbsent()
    {
        var values = new object?[UserTable.Columns.Length];
        Array.Fill(values, ColumnValues.Absent);
        return values;
    }
}
