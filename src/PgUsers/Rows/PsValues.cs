using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace PgUsers.Rows;

/// <summary>
/// PowerShell's shapes for structured values: JSON text as PSCustomObjects and arrays (what ConvertFrom-Json
/// gives), a composite as a PSCustomObject, and back: hashtables, PSCustomObjects and arrays of them as JSON text.
/// </summary>
/// <remarks>
/// Every walk over a value, sent or read, stops at <see cref="MaxDepth"/> and refuses a value that holds itself,
/// so no input can overflow the stack; the bound is the same both ways, so whatever is read can be sent back.
/// </remarks>
internal static class PsValues
{
    /// <summary>How deep objects and arrays may nest, counting the outermost as 1.</summary>
    public const int MaxDepth = 512;

    /// <summary>
    /// A PSCustomObject with these properties, in order; an ordered dictionary (case-sensitive) when the names
    /// cannot all be properties: two differ only by case, or one is empty.
    /// </summary>
    public static object Object(IReadOnlyList<string> names, IReadOnlyList<object?> values)
    {
        if (NeedsDictionary(names))
        {
            var keys = new OrderedDictionary(StringComparer.Ordinal);
            for (int i = 0; i < names.Count; i++) keys[names[i]] = values[i];
            return keys;
        }
        var result = new PSObject();
        for (int i = 0; i < names.Count; i++) Set(result, names[i], values[i]);
        return result;
    }

    private static bool NeedsDictionary(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return false;
        Dictionary<string, string>? seen = names.Count > 1 ? new(names.Count, StringComparer.OrdinalIgnoreCase) : null;
        foreach (var name in names)
        {
            if (name.Length == 0) return true;
            if (seen is null) continue;
            if (seen.TryGetValue(name, out var first) && !string.Equals(first, name, StringComparison.Ordinal)) return true;
            seen.TryAdd(name, name);
        }
        return false;
    }

    /// <summary>JSON text as ConvertFrom-Json shapes it: objects as PSCustomObjects, arrays as object[], integers as long.</summary>
    public static object? FromJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e) when (e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new DbValueException("PgUsers.JsonTooDeep",
                $"A json value nests deeper than {MaxDepth} levels, the most PgUsers reads (or sends) as objects; read it as text with -JsonAs String.");
        }
        using (document) return FromJson(document.RootElement);
    }

    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new List<string>();
                var values = new List<object?>();
                foreach (var property in element.EnumerateObject())
                {
                    names.Add(property.Name);
                    values.Add(FromJson(property.Value));
                }
                return Object(names, values);
            case JsonValueKind.Array:
                var items = new object?[element.GetArrayLength()];
                int i = 0;
                foreach (var item in element.EnumerateArray()) items[i++] = FromJson(item);
                return items;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long whole)) return whole;
                if (element.TryGetDecimal(out decimal exact) && !element.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase)) return exact;
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>json allows a repeated key; the last one wins, as in jsonb.</summary>
    private static void Set(PSObject target, string name, object? value)
    {
        if (target.Properties[name] is { } existing) target.Properties.Remove(existing.Name);
        target.Properties.Add(new PSNoteProperty(name, value));
    }

    /// <summary>True for what binds as JSON: a hashtable, a PSCustomObject, or an array (or list) holding one.</summary>
    public static bool IsJsonShaped(object? value)
    {
        if (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject) return true;
            value = pso.BaseObject;
        }
        return value switch
        {
            IDictionary => true,
            object?[] or ArrayList or List<object?> => HoldsJsonShaped((IList)value, new Walk()),
            _ => false,
        };
    }

    private static bool HoldsJsonShaped(IList items, Walk walk)
    {
        walk.Enter(items);
        foreach (var item in items)
        {
            object? inner = item is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : item;
            switch (inner)
            {
                case PSObject or IDictionary:
                    return true;
                case object?[] or ArrayList or List<object?>:
                    if (HoldsJsonShaped((IList)inner, walk)) return true;
                    break;
            }
        }
        walk.Leave(items);
        return false;
    }

    /// <summary>The value as JSON text (ConvertTo-Json's shapes, without its depth cut-off).</summary>
    public static string ToJson(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, value, new Walk());
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value, Walk walk)
    {
        if (value is PSObject pso && pso.BaseObject is not PSCustomObject) value = pso.BaseObject;
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case char c:
                writer.WriteStringValue(c.ToString());
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case float or double:
                double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(number)) writer.WriteNumberValue(number);
                else writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                break;
            case DateTime time:
                writer.WriteStringValue(time);
                break;
            case DateTimeOffset offset:
                writer.WriteStringValue(offset);
                break;
            case Guid guid:
                writer.WriteStringValue(guid);
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            case IDictionary dictionary:
                walk.Enter(dictionary);
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(writer, entry.Value, walk);
                }
                writer.WriteEndObject();
                walk.Leave(dictionary);
                break;
            case PSObject custom:
                walk.Enter(custom);
                writer.WriteStartObject();
                foreach (var property in custom.Properties)
                {
                    if (!property.IsGettable) continue;
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, walk);
                }
                writer.WriteEndObject();
                walk.Leave(custom);
                break;
            case IEnumerable items:
                walk.Enter(items);
                writer.WriteStartArray();
                foreach (var item in items) Write(writer, item, walk);
                writer.WriteEndArray();
                walk.Leave(items);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>The containers from the outermost down to the one being walked: the depth bound and the cycle check.</summary>
    private sealed class Walk
    {
        private readonly List<object> _path = new();

        public void Enter(object container)
        {
            foreach (var open in _path)
            {
                if (ReferenceEquals(open, container))
                {
                    throw new DbValueException("PgUsers.ParameterCycle",
                        $"the value holds itself (a {Describe(container)} that contains itself, directly or deeper): it cannot be sent.");
                }
            }
            if (_path.Count >= MaxDepth)
            {
                throw new DbValueException("PgUsers.ParameterTooDeep",
                    $"the value nests deeper than {MaxDepth} levels, the most PgUsers sends (or reads) as JSON.");
            }
            _path.Add(container);
        }

        public void Leave(object container) => _path.RemoveAt(_path.Count - 1);

        private static string Describe(object container) => container switch
        {
            PSObject => "PSCustomObject",
            IDictionary => "hashtable",
            Array => "array",
            _ => container.GetType().Name,
        };
    }
}
