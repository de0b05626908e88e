using System.Collections;
using System.Management.Automation;

namespace PgUsers.Rows;

/// <summary>Turns what PowerShell users pass (hashtables, objects, PSObject-wrapped values) into bound parameters.</summary>
internal static class ParameterValues
{
    /// <summary>Name/value pairs from a hashtable (keys) or any object (properties); names lose a leading @ or :.</summary>
    public static List<KeyValuePair<string, object?>> From(object? source)
    {
        var result = new List<KeyValuePair<string, object?>>();
        object? value = source is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : source;
        switch (value)
        {
            case null:
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    string name = Name(entry.Key?.ToString());
                    result.Add(new(name, Normalize(name, entry.Value)));
                }
                break;
            default:
                foreach (var property in PSObject.AsPSObject(source!).Properties)
                {
                    if (!property.IsGettable) continue;
                    string name = Name(property.Name);
                    result.Add(new(name, Normalize(name, property.Value)));
                }
                break;
        }
        return result;
    }

    private static string Name(string? key)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("A parameter name is empty.");
        return key[0] is '@' or ':' ? key[1..] : key;
    }

    private static object? Normalize(string name, object? value)
    {
        try
        {
            return Normalize(value);
        }
        catch (DbValueException e)
        {
            throw e.For(name);
        }
    }

    /// <summary>
    /// Unwraps PSObject, turns a PowerShell array (or ArrayList, List[object]) into a typed array (for = ANY(@ids)),
    /// and a hashtable, PSCustomObject or array holding one into JSON text (for json and jsonb).
    /// </summary>
    public static object? Normalize(object? value)
    {
        if (PsValues.IsJsonShaped(value)) return new JsonText(PsValues.ToJson(value));
        if (value is PSObject pso) value = pso.BaseObject;
        return value switch
        {
            object?[] items when items.GetType() == typeof(object[]) => TypedArray(items),
            ArrayList or List<object?> => TypedArray(((IList)value).Cast<object?>().ToArray()),
            _ => value,
        };
    }

    /// <summary>
    /// An array of one element type, with null as NULL (value types become nullable); whole numbers of several
    /// sizes widen to long, and with decimals or doubles to those. An empty or all-null array has no type of its
    /// own: it goes untyped, and the SQL (a cast, the column) gives it one.
    /// </summary>
    private static object TypedArray(object?[] items)
    {
        var unwrapped = new object?[items.Length];
        Type? only = null;
        bool mixed = false, nulls = false;
        for (int i = 0; i < items.Length; i++)
        {
            object? item = items[i] is PSObject p ? p.BaseObject : items[i];
            if (item is DBNull) item = null;
            unwrapped[i] = item;
            if (item is null)
            {
                nulls = true;
                continue;
            }
            if (item is IList and not byte[])
            {
                throw new DbValueException("PgUsers.ParameterType",
                    "an array of arrays is not sent as a PostgreSQL array: pass a rectangular array ([int[,]]) for a multidimensional one, or put it in a hashtable to send JSON.");
            }
            var type = item.GetType();
            if (only is null) only = type;
            else if (only != type) mixed = true;
        }
        if (only is null) return new NullArray(items.Length);
        if (mixed) only = Widened(unwrapped);
        if (only.IsValueType && nulls) only = typeof(Nullable<>).MakeGenericType(only);
        var typed = Array.CreateInstance(only, unwrapped.Length);
        for (int i = 0; i < unwrapped.Length; i++)
        {
            object? item = unwrapped[i];
            typed.SetValue(item is null || item.GetType() == only || Nullable.GetUnderlyingType(only) == item.GetType()
                ? item
                : Convert.ChangeType(item, Nullable.GetUnderlyingType(only) ?? only, System.Globalization.CultureInfo.InvariantCulture), i);
        }
        return typed;
    }

    /// <summary>The one numeric type that holds every element exactly enough, or a clear refusal.</summary>
    private static Type Widened(object?[] items)
    {
        bool whole = true, exact = true;
        foreach (var item in items)
        {
            switch (item)
            {
                case null:
                case byte or sbyte or short or ushort or int or uint or long:
                    break;
                case decimal:
                    whole = false;
                    break;
                case double or float:
                    whole = false;
                    exact = false;
                    break;
                default:
                    var types = items.Where(i => i is not null).Select(i => i!.GetType().Name).Distinct();
                    throw new DbValueException("PgUsers.ParameterType",
                        $"the array mixes element types ({string.Join(", ", types)}), but a PostgreSQL array holds one: make them one type " +
                        "in PowerShell ([string[]] $values, [int[]] $values) before passing it.");
            }
        }
        return whole ? typeof(long) : exact ? typeof(decimal) : typeof(double);
    }
}
