namespace PgUsers.Engine;

/// <summary>
/// The kind of server a connection must reach: libpq's target_session_attrs, plus Default (the URL's
/// own choice) and Npgsql's prefer-primary.
/// </summary>
internal enum TargetSession
{
    Default,
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
    PreferPrimary,
}
