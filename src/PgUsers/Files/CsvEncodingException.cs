using System.Text;

namespace PgUsers.Files;

/// <summary>A character of an export that its encoding cannot hold (Export-DbCsv's PgUsers.CsvNotEncodable).</summary>
internal sealed class CsvEncodingException : Exception
{
    public CsvEncodingException(int index, int codePoint, EncoderFallbackException inner) : base(inner.Message, inner)
    {
        Index = index;
        CodePoint = codePoint;
    }

    /// <summary>Where the character is in the text given to <see cref="CsvOutput.Write"/>.</summary>
    public int Index { get; }

    /// <summary>The character, as a Unicode code point.</summary>
    public int CodePoint { get; }
}
