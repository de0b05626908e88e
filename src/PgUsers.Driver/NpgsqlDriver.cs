
namespace PgUsers.Driver;

/// <summary>The Npgsql side of <see cref="IDriver"/>; created by reflection inside the module's load context.</summary>
internal sealed class NpgsqlDriver : IDriver
{
    public IPool CreatePool(DbUrl url, PoolSettings settings) => new EnginePool(url, settings);
}
