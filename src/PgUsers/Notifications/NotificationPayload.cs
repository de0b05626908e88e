using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Text;

namespace PgUsers.Notifications;

/// <summary>The text a NOTIFY carries: a string as it is, anything else as its JSON.</summary>
internal static class NotificationPayload
{
    /// <summary>PostgreSQL's limit: a payload must be shorter than 8000 bytes (in the server's encoding; UTF-8 here).</summary>
    public const int MaxBytes = 7999;

    /// <summary>The payload's text; an object (a PSCustomObject, hashtable, array, User or any row) becomes JSON.</summary>
    public static string Text(object? payload)
    {
        if (payload is PSObject { BaseObject: not PSCustomObject } wrapped) payload = wrapped.BaseObject;
        return payload switch
        {
            null => "",
            string text => text,
            char c => c.ToString(),
            _ => PsValues.ToJson(Shape(payload)),
        };
    }

    /// <summary>Why <paramref name="text"/> cannot be sent, or null: checked before anything goes to the server.</summary>
    public static string? Problem(string text)
    {
        // Most payloads are far below the limit in any encoding: count bytes only when it could matter.
        if (text.Length * 3 <= MaxBytes) return null;
        int bytes = Encoding.UTF8.GetByteCount(text);
        return bytes <= MaxBytes ? null
            : $"The payload is {bytes} bytes in UTF-8; PostgreSQL takes payloads shorter than 8000 bytes. Send a key (an id) and let the listener read the rest from a table.";
    }

    /// <summary>A typed object (a User, a DbRow, any .NET object) as its properties, so it travels as a JSON object, not its ToString.</summary>
    private static object Shape(object value)
    {
        if (value is PSObject or IDictionary or IEnumerable || value.GetType().IsPrimitive || value is decimal or DateTime or DateTimeOffset or Guid or Enum)
        {
            return value;
        }
        var properties = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var property in PSObject.AsPSObject(value).Properties)
        {
            if (property.IsGettable) properties[property.Name] = property.Value;
        }
        return properties;
    }
}
