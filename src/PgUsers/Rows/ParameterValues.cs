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
                    result.Add(new(Name(entry.Key?.ToString()), Normalize(entry.Value)));
                }
                break;
            default:
                foreach (var property in PSObject.AsPSObject(source!).Properties)
                {
                    if (property.IsGettable) result.Add(new(Name(property.Name), Normalize(property.Value)));
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

    /// <summary>
    /// Unwraps PSObject, turns a PowerShell array of one type into a typed array (for = ANY(@ids)), and a
    /// hashtable, PSCustomObject or array holding one into JSON text (for json and jsonb).
    /// </summary>
    public static object? Normalize(object? value)
    {
        if (PsValues.IsJsonShaped(value)) return new JsonText(PsValues.ToJson(value));
        if (value is PSObject pso) value = pso.BaseObject;
        if (value is object?[] items && items.GetType() == typeof(object[]))
        {
            var unwrapped = items.Select(i => i is PSObject p ? p.BaseObject : i).ToArray();
            var types = unwrapped.Where(i => i is not null).Select(i => i!.GetType()).Distinct().ToArray();
            if (types.Length == 1)
            {
                var typed = Array.CreateInstance(types[0], unwrapped.Length);
                for (int i = 0; i < unwrapped.Length; i++) typed.SetValue(unwrapped[i], i);
                return typed;
            }
            if (types.Length > 1 && types.All(t => t == typeof(int) || t == typeof(long)))
            {
                return unwrapped.Select(i => i is null ? (long?)null : Convert.ToInt64(i)).ToArray();
            }
            return unwrapped;
        }
        return value;
    }
}
