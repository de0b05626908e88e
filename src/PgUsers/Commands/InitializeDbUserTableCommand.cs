using System.Management.Automation;
using PgUsers.Internal;

namespace PgUsers.Commands;

/// <summary>Creates the users table and its referrer index if they do not exist.</summary>
[Cmdlet(VerbsData.Initialize, "DbUserTable", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class InitializeDbUserTableCommand : DbCmdlet
{
    internal const string Ddl = """
        CREATE TABLE IF NOT EXISTS users(
            telegram_id   BIGINT PRIMARY KEY,
            full_name     VARCHAR(255) NOT NULL,
            username      VARCHAR(255),
            language_code VARCHAR(255) NOT NULL,
            created_at    TIMESTAMP DEFAULT NOW(),
            referrer_id   BIGINT,
            FOREIGN KEY (referrer_id) REFERENCES users (telegram_id) ON DELETE SET NULL
        );
        CREATE INDEX IF NOT EXISTS users_referrer_id_idx ON users (referrer_id);
        """;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!ShouldProcess("users", "Create table (if not exists)")) return;
        try
        {
            using var lease = OpenLink();
            lease.Link.ExecuteNonQuery(new DbStatement(Ddl), Cancellation);
            WriteVerbose("users table and users_referrer_id_idx are in place.");
        }
        catch (Exception e) when (DbErrors.IsDatabaseFailure(e))
        {
            Terminate(e, "users");
        }
    }
}
