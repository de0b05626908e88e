namespace PgUsers.Engine;

/// <summary>What the pool does to a connection that comes back (New-DbEngine -ResetOnReturn).</summary>
internal enum ResetOnReturn
{
    /// <summary>DISCARD ALL, in the background: the next command finds nothing another left.</summary>
    Discard,

    /// <summary>Only the transaction is rolled back (SQLAlchemy's pool_reset_on_return='rollback'); session state carries over.</summary>
    Rollback,
}
