namespace PgUsers.Rows;

/// <summary>
/// An array parameter with no element to tell its type (empty, or only nulls): the engine sends it as an untyped
/// array literal, so the statement's cast or column gives it its type, as it would to a literal '{}'.
/// </summary>
internal sealed class NullArray
{
    public NullArray(int length) => Length = length;

    public int Length { get; }

    /// <summary>PostgreSQL's text for it: {} or {NULL,NULL,…}.</summary>
    public string Text => "{" + string.Join(",", Enumerable.Repeat("NULL", Length)) + "}";

    public override string ToString() => Text;
}
