using System.Text;

namespace PgUsers.Files;

/// <summary>Bytes of a CSV file that its encoding does not define (Import-DbCsv's PgUsers.CsvNotDecodable).</summary>
internal sealed class CsvDecodingException : Exception
{
    public CsvDecodingException(string message, long line, long offset, DecoderFallbackException inner) : base(message, inner)
    {
        Line = line;
        Offset = offset;
    }

    /// <summary>The line the bytes are on (the first is 1).</summary>
    public long Line { get; }

    /// <summary>Where the bytes start, counted from 0 (in the decompressed text, for .gz).</summary>
    public long Offset { get; }
}
