using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace PgUsers.Files;

/// <summary>Turns a name or code page given to -Encoding into an <see cref="Encoding"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class CsvEncodingTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            Encoding encoding => encoding,
            int page => CsvEncodingByName(page.ToString(CultureInfo.InvariantCulture)),
            string name => CsvEncodingByName(name),
            _ => value,
        };
    }

    private static Encoding CsvEncodingByName(string name) => CsvEncoding.ByName(name)
        ?? throw new ArgumentTransformationMetadataException(
            $"'{name}' is not an encoding. Use one of {string.Join(", ", CsvEncoding.Names)}, a code page number, or an encoding name such as windows-1251.");
}
