using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Creates the users table and its referrer index if they do not exist.</summary>
[Cmdlet(VerbsData.Initialize, "DbUserTable", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class InitializeDbUserTableCommand : DbCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!ShouldProcess(UserTable.Name, "Create table (if not exists)")) return;
        try
        {
            Unit.Link.ExecuteNonQuery(new DbStatement(UserTable.Ddl), Cancellation);
            CompleteUnit();
            WriteVerbose($"{UserTable.Name} table and {UserTable.ReferrerIndex} are in place.");
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, UserTable.Name);
        }
    }
}
