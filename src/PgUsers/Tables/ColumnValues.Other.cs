using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Text.Json;
using System.Xml;

namespace PgUsers.Tables;

/// <summary>Dates and times, uuid, bytea, network addresses, intervals, JSON and enum labels.</summary>
internal static partial class ColumnValues
{
    private const DateTimeStyles ParseStyles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind;

    private static object? ToTimestamp(object raw, out string? problem)
    {
        problem = null;
        switch (raw)
        {
            case DateTime { Kind: DateTimeKind.Unspecified }: return raw;   // already wall-clock time: keeps its box
            case DateTime dt: return Wall(dt);
            case DateTimeOffset dto: return DateTime.SpecifyKind(dto.LocalDateTime, DateTimeKind.Unspecified);
            case string text:
                if (ParseDateTime(text) is DateTime parsed) return Wall(parsed);
                problem = "is not a date and time (such as 2026-11-30 14:05:00)";
                return null;
            default:
                problem = $"is a {raw.GetType().Name}, not a date and time";
                return null;
        }
    }

    // timestamptz is an instant: the engine writes it as UTC; a time without a zone is this machine's local time.
    private static object? ToTimestampTz(object raw, out string? problem)
    {
        problem = null;
        switch (raw)
        {
            case DateTime dt: return dt.Kind == DateTimeKind.Utc ? dt : DateTime.SpecifyKind(dt, DateTimeKind.Local).ToUniversalTime();
            case DateTimeOffset dto: return dto.UtcDateTime;
            case string text:
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeLocal, out var parsed)
                    || DateTimeOffset.TryParse(text, CultureInfo.CurrentCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeLocal, out parsed))
                {
                    return parsed.UtcDateTime;
                }
                problem = "is not a date and time (such as 2026-11-30 14:05:00+01)";
                return null;
            default:
                problem = $"is a {raw.GetType().Name}, not a date and time";
                return null;
        }
    }

    private static object? ToDate(object raw, out string? problem)
    {
        problem = null;
        DateTime? date = raw switch
        {
            DateTime dt => dt,
            DateTimeOffset dto => dto.DateTime,
            DateOnly d => d.ToDateTime(TimeOnly.MinValue),
            string text => ParseDateTime(text),
            _ => null,
        };
        if (date is null)
        {
            problem = raw is string ? "is not a date (such as 2026-11-30)" : $"is a {raw.GetType().Name}, not a date";
            return null;
        }
        if (date.Value.TimeOfDay != TimeSpan.Zero)
        {
            problem = "has a time of day; the column holds dates only (pass .Date to drop it)";
            return null;
        }
        return DateTime.SpecifyKind(date.Value, DateTimeKind.Unspecified);
    }

    private static DateTime? ParseDateTime(string text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, ParseStyles, out var parsed)
        || DateTime.TryParse(text, CultureInfo.CurrentCulture, ParseStyles, out parsed) ? parsed : null;

    // A timestamp without time zone holds wall-clock time: a UTC time is stored as this machine's local time.
    private static DateTime Wall(DateTime value) =>
        DateTime.SpecifyKind(value.Kind == DateTimeKind.Utc ? value.ToLocalTime() : value, DateTimeKind.Unspecified);

    private static object? ToUuid(object raw, out string? problem)
    {
        problem = null;
        if (raw is Guid guid) return guid;
        if (raw is string text && Guid.TryParse(text.Trim(), out guid)) return guid;
        problem = raw is string ? "is not a uuid (such as 0b7e7dee-87b6-4a1f-9b38-2e8c2d1e4f10)" : $"is a {raw.GetType().Name}, not a uuid";
        return null;
    }

    private static object? ToBytes(object raw, out string? problem)
    {
        problem = null;
        switch (raw)
        {
            case byte[] bytes: return bytes;
            case string text when text.StartsWith("\\x", StringComparison.Ordinal):
                try
                {
                    return Convert.FromHexString(text.AsSpan(2));
                }
                catch (FormatException)
                {
                    problem = "is not bytes in hex (\\x then pairs of hex digits, such as \\x0a1b)";
                    return null;
                }
            case string:
                problem = "is text, not bytes (pass a byte[], or hex such as \\x0a1b)";
                return null;
            case object?[] items when items.All(i => Unwrap(i) is byte or (int and >= 0 and <= 255)):
                return items.Select(i => Convert.ToByte(Unwrap(i), CultureInfo.InvariantCulture)).ToArray();
            default:
                problem = $"is a {raw.GetType().Name}, not bytes";
                return null;
        }
    }

    /// <summary>An address (inet may carry a netmask; cidr must have no bits set right of its mask), as text the engine parses.</summary>
    private static object? ToInet(object raw, bool cidr, out string? problem)
    {
        problem = null;
        string? text = raw switch
        {
            IPAddress address => address.ToString(),
            string s => s.Trim(),
            _ => null,
        };
        if (text is null)
        {
            problem = $"is a {raw.GetType().Name}, not a network address";
            return null;
        }
        int slash = text.IndexOf('/');
        string host = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(host, out var parsed) || host.Contains('%'))
        {
            problem = "is not a network address (such as 192.168.0.1, 10.0.0.0/8 or ::1)";
            return null;
        }
        int bits = parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        int mask = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out mask) || mask > bits))
        {
            problem = $"has a netmask that is not 0 to {bits}";
            return null;
        }
        if (cidr && !MaskedClean(parsed, mask))
        {
            problem = "has bits set to the right of its netmask, which cidr refuses (give the network address)";
            return null;
        }
        return parsed + "/" + mask.ToString(CultureInfo.InvariantCulture);
    }

    private static bool MaskedClean(IPAddress address, int mask)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = mask; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) return false;
        }
        return true;
    }

    private static object? ToInterval(object raw, out string? problem)
    {
        problem = null;
        switch (raw)
        {
            case TimeSpan span: return span;
            case string text:
                text = text.Trim();
                if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed)) return parsed;
                if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
                {
                    try
                    {
                        return XmlConvert.ToTimeSpan(text);
                    }
                    catch (FormatException)
                    {
                    }
                }
                problem = "is not a time span (such as 1.02:03:04 or P1DT2H)";
                return null;
            default:
                problem = $"is a {raw.GetType().Name}, not a time span";
                return null;
        }
    }

    /// <summary>JSON: hashtables, PSCustomObjects, arrays, numbers and booleans serialised; text must already be valid JSON.</summary>
    private static object? ToJson(object? given, out string? problem)
    {
        problem = null;
        object? raw = given is PSObject { BaseObject: not PSCustomObject } pso ? pso.BaseObject : given;
        if (raw is string text)
        {
            try
            {
                using var _ = JsonDocument.Parse(text);
                return text;
            }
            catch (JsonException)
            {
                problem = "is not valid JSON (pass an object or hashtable to have it serialised)";
                return null;
            }
        }
        try
        {
            return PsValues.ToJson(raw);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            problem = "cannot be written as JSON: " + e.Message;
            return null;
        }
    }

    private static object? ToLabel(object raw, IReadOnlyList<string>? labels, out string? problem)
    {
        problem = null;
        string? text = raw is string or Enum ? raw.ToString() : null;
        if (text is null)
        {
            problem = $"is a {raw.GetType().Name}, not a label";
            return null;
        }
        if (labels is null || labels.Contains(text, StringComparer.Ordinal)) return text;
        problem = $"is not one of the labels {string.Join(", ", labels.Take(10).Select(l => "'" + l + "'"))}{(labels.Count > 10 ? ", ..." : "")}";
        return null;
    }
}
