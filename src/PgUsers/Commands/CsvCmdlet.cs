using System.Management.Automation;
using System.Text;

namespace PgUsers.Commands;

/// <summary>
/// Base of Import-DbCsv and Export-DbCsv: the CSV dialect parameters and the table lookup.
/// </summary>
public abstract class CsvCmdlet : DbCmdlet
{
    /// <summary>The field delimiter (a comma unless given).</summary>
    [Parameter]
    public char Delimiter { get; set; } = ',';

    /// <summary>The file's encoding (UTF-8 without a byte order mark unless given).</summary>
    [Parameter]
    [CsvEncodingTransformation]
    [ArgumentCompleter(typeof(CsvEncodingCompleter))]
    public Encoding Encoding { get; set; } = CsvEncoding.Default;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (CsvText.DelimiterProblem(Delimiter) is { } problem)
        {
            Fail(DbErrors.Argument("PgUsers.InvalidDelimiter", problem, Delimiter));
        }
    }

    /// <summary>The table <paramref name="name"/> names; a terminating PgUsers.TableNotFound error when there is none.</summary>
    private protected TableDescription FindTable(IDbLink link, string name)
    {
        if (TableName.Resolve(link, name, null, Cancellation) is not { } table)
        {
            Fail(DbErrors.Record("PgUsers.TableNotFound", ErrorCategory.ObjectNotFound,
                $"There is no table '{name}' (the name is resolved as in SQL: schema.table, the search_path, \"Quoted\" for mixed case).", name));
            return null!;
        }
        return TableCatalog.Describe(link, table, Cancellation);
    }
}
