using System.Collections;
using System.Management.Automation;

namespace PgUsers.Internal;

/// <summary>
/// Reads pipeline objects as users through <see cref="UserTable"/>: PgUsers.User objects, hashtables,
/// PSCustomObjects and Import-Csv rows, with PowerShell names (TelegramId) or column names
/// (telegram_id), any case. Properties the table does not know are ignored. Each value is converted
/// strictly (<see cref="UserValues"/>). Named parameters, when given, apply to every record and win.
/// </summary>
/// <remarks>
/// PowerShell's own binder costs several microseconds per property per object; this reads each object's
/// properties once and remembers the mapping of the last property list seen, so a million objects of
/// one shape cost one lookup.
/// </remarks>
internal sealed class UserBinder
{
    private readonly object?[] _named;
    private readonly bool _anyNamed;
    private string[] _shapeNames = Array.Empty<string>();
    private int[] _shapeColumns = Array.Empty<int>();
    private long _count;

    /// <param name="named">Values given as named parameters, in table order (<see cref="UserValues.Absent"/> where not given).</param>
    public UserBinder(object?[] named)
    {
        _named = named;
        _anyNamed = named.Any(v => !ReferenceEquals(v, UserValues.Absent));
    }

    /// <summary>
    /// When true, a PgUsers.User input gives only its key while named values are given: it is a row read
    /// from the table, and rewriting its other columns would undo concurrent changes (Set-DbUser).
    /// </summary>
    public bool StoredUsersGiveKeyOnly { get; init; }

    /// <summary>When true, a bare value (a number or a string) is the key (Remove-DbUser).</summary>
    public bool ScalarIsKey { get; init; }

    /// <summary>The record made of the named parameters alone (no pipeline input).</summary>
    public UserRecord FromNamed() => Finish(++_count, (object?[])_named.Clone(), null);

    public UserRecord Bind(object? input)
    {
        long number = ++_count;
        var values = NewAbsent();
        string? problem = null;
        object? target = UserValues.Unwrap(input);
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
                problem = $"it is a {target.GetType().Name} ({UserValues.Show(target)}), not an object with user properties";
                break;
            default:
                BindProperties(input is PSObject pso ? pso : PSObject.AsPSObject(target), values, ref problem);
                break;
        }
        return Finish(number, values, problem);
    }

    private void BindProperties(PSObject pso, object?[] values, ref string? problem)
    {
        int index = 0;
        bool sameShape = true;
        foreach (var property in pso.Properties)
        {
            if (!property.IsGettable) continue;
            string name = property.Name;
            if (sameShape && (index >= _shapeNames.Length || !string.Equals(_shapeNames[index], name, StringComparison.Ordinal)))
            {
                sameShape = false;
                Reshape(pso);
            }
            int ordinal = _shapeColumns[index++];
            if (ordinal >= 0 && ReferenceEquals(values[ordinal], UserValues.Absent))
            {
                Set(values, UserTable.Columns[ordinal], property.Value, ref problem);
            }
        }
        if (sameShape && index != _shapeNames.Length) Reshape(pso);
    }

    /// <summary>Remembers this object's property list and which column each one binds to (-1: none).</summary>
    private void Reshape(PSObject pso)
    {
        var names = pso.Properties.Where(p => p.IsGettable).Select(p => p.Name).ToArray();
        _shapeNames = names;
        _shapeColumns = names.Select(n => UserTable.ForProperty(n)?.Ordinal ?? -1).ToArray();
    }

    private static void Set(object?[] values, UserColumn column, object? raw, ref string? problem)
    {
        if (UserValues.TryConvert(column, raw, out var value, out var why))
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
                if (!ReferenceEquals(_named[i], UserValues.Absent)) values[i] = _named[i];
            }
        }
        var record = new UserRecord(number, values, problem);
        if (record.Problem is null && !record.Has(UserTable.Key)) record.Refuse($"it has no {UserTable.Key.Name} (or {UserTable.Key.PsName}) property");
        return record;
    }

    public static object?[] NewAbsent()
    {
        var values = new object?[UserTable.Columns.Length];
        Array.Fill(values, UserValues.Absent);
        return values;
    }
}
