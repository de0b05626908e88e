using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace PgUsers.Files;

/// <summary>
/// The -Encoding values Import-Csv and Export-Csv take: their names (utf8, utf8BOM, unicode, ...),
/// a code page number, any name .NET knows (windows-1251, latin1), or an Encoding object.
/// </summary>
internal static class CsvEncoding
{
    /// <summary>What PowerShell 7 reads and writes when -Encoding is not given.</summary>
    public static readonly Encoding Default = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    internal static readonly string[] Names =
        { "ascii", "ansi", "bigendianunicode", "bigendianutf32", "oem", "unicode", "utf8", "utf8BOM", "utf8NoBOM", "utf32" };

    public static Encoding? ByName(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "ascii": return Encoding.ASCII;
            case "bigendianunicode": return Encoding.BigEndianUnicode;
            case "bigendianutf32": return new UTF32Encoding(bigEndian: true, byteOrderMark: true);
            case "unicode": return Encoding.Unicode;
            case "utf8" or "utf8nobom" or "default": return Default;
            case "utf8bom": return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
            case "utf32": return Encoding.UTF32;
            case "ansi": return CodePage(CultureInfo.CurrentCulture.TextInfo.ANSICodePage);
            case "oem": return CodePage(CultureInfo.CurrentCulture.TextInfo.OEMCodePage);
        }
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int page)) return CodePage(page);
        try
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Encoding? CodePage(int page)
    {
        try
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(page);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
