using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Tables, views, materialized views, partitioned and foreign tables reflected from the catalog: columns,
/// keys, constraints, indexes, estimated rows and size. Read-only, so it runs on standbys too.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DbTable")]
[OutputType(typeof(DbTable))]
public sealed class GetDbTableCommand : DbCmdlet
{
    /// <summary>The table name; wildcards allowed (all tables when omitted).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateWildcard]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Name { get; set; } = "*";

    /// <summary>The schema; wildcards allowed (every schema but PostgreSQL's own when omitted).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateWildcard]
    public string? Schema { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        List<DbTable> tables;
        try
        {
            tables = TableListing.List(Unit.Link, Name, Schema, Cancellation);
            ReleaseUnit();
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, Name);
            return;
        }
        if (tables.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(Name))
        {
            WriteError(DbErrors.Record("PgUsers.TableNotFound", ErrorCategory.ObjectNotFound,
                $"There is no table '{Name}'{(Schema is null ? "" : $" in a schema matching '{Schema}'")}.", Name));
        }
        WriteObject(tables, enumerateCollection: true);
    }
}
