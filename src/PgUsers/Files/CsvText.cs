using System.Text;
using System.Text.RegularExpressions;

namespace PgUsers.Files;

/// <summary>The bits of CSV syntax the cmdlets need themselves: the header record, a delimiter as a COPY option, values quoted in messages.</summary>
internal static class CsvText
{
    private const int ExcerptLength = 40;
    private static readonly Regex s_longQuoted = new("\"(?<start>[^\"]{" + ExcerptLength + "})(?<rest>[^\"]{60,})\"", RegexOptions.CultureInvariant);

    /// <summary>A value as a message quotes it: in single quotes, cut to its first 40 characters when longer.</summary>
    public static string Excerpt(string value) =>
        value.Length <= ExcerptLength ? $"'{value}'" : $"'{value[..ExcerptLength]}…' ({value.Length:N0} characters)";

    /// <summary>The server's text with each long double-quoted value in it cut short: the server quotes a bad value whole, however long.</summary>
    public static string ShortenQuoted(string text) =>
        s_longQuoted.Replace(text, m => $"\"{m.Groups["start"].Value}…\" ({ExcerptLength + m.Groups["rest"].Length:N0} characters)");

    /// <summary>Where the first record of <paramref name="text"/> ends (the index of its line break), or -1 when no line break outside quotes is in it yet.</summary>
    public static int FirstRecordEnd(ReadOnlySpan<char> text)
    {
        bool inQuotes = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"') inQuotes = !inQuotes;
            else if (!inQuotes && (c == '\n' || c == '\r')) return i;
        }
        return -1;
    }

    /// <summary>The fields of one record, unquoted ("" inside quotes is one quote).</summary>
    public static List<string> Fields(ReadOnlySpan<char> record, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool inQuotes = false;
        for (int i = 0; i < record.Length; i++)
        {
            char c = record[i];
            if (inQuotes)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < record.Length && record[i + 1] == '"') field.Append(record[++i]);
                else inQuotes = false;
            }
            else if (c == '"') inQuotes = true;
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>Why <paramref name="delimiter"/> cannot be a COPY delimiter, or null when it can.</summary>
    public static string? DelimiterProblem(char delimiter) => delimiter switch
    {
        '"' => "The delimiter cannot be the quote character (\").",
        '\r' or '\n' => "The delimiter cannot be a line break.",
        > '\x7f' => $"PostgreSQL's COPY takes a one-byte delimiter: '{delimiter}' is not an ASCII character.",
        _ => null,
    };

    /// <summary>
    /// The delimiter as a COPY option value: an escape string literal (E'...'), whose meaning does not
    /// depend on standard_conforming_strings. COPY options cannot be bound parameters.
    /// </summary>
    public static string DelimiterLiteral(char delimiter) =>
        delimiter is '\\' or '\'' ? $"E'\\{delimiter}'" : $"E'{delimiter}'";
}
