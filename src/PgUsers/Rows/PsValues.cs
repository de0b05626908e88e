using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace PgUsers.Rows;

/// <summary>
/// PowerShell's shapes for structured values: JSON text as PSCustomObjects and arrays (what ConvertFrom-Json
/// gives), a composite as a PSCustomObject, and back: hashtables, PSCustomObjects and arrays of them as JSON text.
/// </summary>
internal static class PsValues
{
    private const int MaxDepth = 100;

    /// <summary>A PSCustomObject with these properties, in order.</summary>
    public static PSObject Object(IReadOnlyList<string> names, IReadOnlyList<object?> values)
    {
        var result = new PSObject();
        for (int i = 0; i < names.Count; i++) Set(result, names[i], values[i]);
        return result;
    }

    /// <summary>JSON text as ConvertFrom-Json shapes it: objects as PSCustomObjects, arrays as object[], integers as long.</summary>
    public static object? FromJson(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 512 });
        return FromJson(document.RootElement);
    }

    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new PSObject();
                foreach (var property in element.EnumerateObject()) Set(result, property.Name, FromJson(property.Value));
                return result;
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

    /// <summary>True for what binds as JSON: a hashtable, a PSCustomObject, or an array holding one.</summary>
    public static bool IsJsonShaped(object? value) => value switch
    {
        PSObject { BaseObject: PSCustomObject } => true,
        PSObject pso => IsJsonShaped(pso.BaseObject),
        IDictionary => true,
        object?[] items => items.Any(IsJsonShaped),
        _ => false,
    };

    /// <summary>The value as JSON text (ConvertTo-Json's shapes, without its depth cut-off).</summary>
    public static string ToJson(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, value, 0);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth) throw new ArgumentException($"The value nests deeper than {MaxDepth} levels (a cycle?): it cannot be sent as JSON.");
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
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(writer, entry.Value, depth + 1);
                }
                writer.WriteEndObject();
                break;
            case PSObject custom:
                writer.WriteStartObject();
                foreach (var property in custom.Properties)
                {
                    if (!property.IsGettable) continue;
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, depth + 1);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items) Write(writer, item, depth + 1);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
