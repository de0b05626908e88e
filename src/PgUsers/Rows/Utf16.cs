namespace PgUsers.Rows;

/// <summary>Well-formed UTF-16: what PostgreSQL receives is UTF-8, which half of a surrogate pair has no form in.</summary>
internal static class Utf16
{
    /// <summary>Where a surrogate stands without its other half (a string cut in the middle of an emoji), or null.</summary>
    public static int? BrokenSurrogateAt(string text)
    {
        int at = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        while (at >= 0)
        {
            if (!char.IsHighSurrogate(text[at]) || at + 1 == text.Length || !char.IsLowSurrogate(text[at + 1])) return at;
            int next = text.AsSpan(at + 2).IndexOfAnyInRange('\uD800', '\uDFFF');
            at = next < 0 ? -1 : at + 2 + next;
        }
        return null;
    }
}
