namespace PgUsers.Engine;

/// <summary>The seam between the cmdlet assembly and the Npgsql side (PgUsers.Driver).</summary>
/// <remarks>Only PgUsers types and BCL types cross it, so Npgsql never leaks into the public surface.</remarks>
internal interface IDriver
{
    /// <summary>Creates a lazy pool; opens nothing. Throws <see cref="DbConfigurationException"/> for an unmappable URL option.</summary>
    IPool CreatePool(DbUrl url, PoolSettings settings);
}
