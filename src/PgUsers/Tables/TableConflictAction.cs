namespace PgUsers;

/// <summary>What Write-DbTable does with a row whose key is already in the table.</summary>
public enum TableConflictAction
{
    /// <summary>Fail the whole write: nothing lands.</summary>
    Error,
    /// <summary>Keep the stored row; the input row is left out.</summary>
    Skip,
    /// <summary>Overwrite the stored row's columns with those the input row gives.</summary>
    Update,
}
