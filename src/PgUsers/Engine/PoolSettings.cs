namespace PgUsers.Engine;

internal sealed record PoolSettings(
    string Name,
    int PoolSize,
    int MaxOverflow,
    double PoolTimeoutSeconds,
    int PoolRecycleSeconds,
    bool PrePing,
    PasswordProvider? Passwords = null,
    ResetOnReturn ResetOnReturn = ResetOnReturn.Discard)
{
    /// <summary>New-DbEngine's defaults: SQLAlchemy's QueuePool of 5 + 10, 30 s timeout, never recycled.</summary>
    public static PoolSettings Defaults(string name) => new(name, 5, 10, 30, -1, false);
}
