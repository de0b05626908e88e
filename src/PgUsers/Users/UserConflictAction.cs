namespace PgUsers;

/// <summary>What Add-DbUser does when a TelegramId is already taken.</summary>
public enum UserConflictAction
{
    /// <summary>A duplicate id is an error and nothing is added.</summary>
    Error,
    /// <summary>Keep the stored user; the first of repeated input ids wins.</summary>
    Skip,
    /// <summary>Overwrite the stored user with the input (an upsert); the last of repeated input ids wins.</summary>
    Update,
}
