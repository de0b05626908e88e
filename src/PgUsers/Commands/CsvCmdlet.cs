using System.Management.Automation;
using System.Text;

namespace PgUsers.Commands;

/// <summary>
/// Base of Import-DbCsv and Export-DbCsv: the CSV dialect parameters, the table lookup, and one
/// unit of work that an error or a stop rolls back.
/// </summary>
public abstract class CsvCmdlet : DbCmdlet
{
    private CommandUnit? _unit;

    /// <summary>The field delimiter (a comma unless given).</summary>
    [Parameter]
    public char Delimiter { get; set; } = ',';

    /// <summary>The file's encoding (UTF-8 without a byte order mark unless given).</summary>
    [Parameter]
    [CsvEncodingTransformation]
    [ArgumentCompleter(typeof(CsvEncodingCompleter))]
    public Encoding Encoding { get; set; } = CsvEncoding.Default;

    /// <summary>The command's unit of work, opened on first use.</summary>
    private protected CommandUnit Unit => _unit ??= CommandUnit.Open(this);

    private protected bool HasUnit => _unit is not null;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (CsvText.DelimiterProblem(Delimiter) is { } problem)
        {
            ThrowTerminatingError(DbErrors.Argument("PgUsers.InvalidDelimiter", problem, Delimiter));
        }
    }

    /// <summary>The table <paramref name="name"/> names; a terminating PgUsers.TableNotFound error when there is none.</summary>
    private protected CsvTable FindTable(IDbLink link, string name)
    {
        CsvTable? table = null;
        try
        {
            table = CsvTable.Find(link, name, Cancellation);
        }
        catch (DbSqlException e) when (e.SqlState == "42602")
        {
            // to_regclass refuses a name that is not even a name ("invalid name syntax").
        }
        if (table is null)
        {
            Fail(DbErrors.Record("PgUsers.TableNotFound", ErrorCategory.ObjectNotFound,
                $"There is no table '{name}' (the name is resolved as in SQL: schema.table, the search_path, \"Quoted\" for mixed case).", name));
        }
        return table!;
    }

    /// <summary>Ends the command with a terminating error record; whatever it did is rolled back first.</summary>
    private protected void Fail(ErrorRecord record)
    {
        OnFailing(record.Exception);
        Release();
        ThrowTerminatingError(record);
    }

    /// <summary>Ends the command with the terminating error <see cref="DbErrors"/> makes of <paramref name="exception"/> (a stop for Ctrl+C).</summary>
    private protected void Fail(Exception exception, object? target)
    {
        Release();
        Terminate(exception, target);
    }

    /// <summary>Rolls back whatever did not complete (an error, a stop, an upstream failure) and returns the connection.</summary>
    private protected override void Release()
    {
        _unit?.Dispose();
        _unit = null;
    }
}
