using Npgsql;
using PgUsers.Internal;

namespace PgUsers.Engine;

/// <summary>The Npgsql side of <see cref="IDriver"/>; created by reflection inside the module's load context.</summary>
internal sealed class NpgsqlDriver : IDriver
{
    public IPool CreatePool(DbUrl url, PoolSettings settings) => new EnginePool(url, settings);

    public IDbLink OpenUnpooled(DbUrl url, CancellationToken cancellationToken)
    {
        var builder = ConnectionStrings.Build(url);
        builder.Pooling = false;
        builder.IncludeErrorDetail = true;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
        }
        catch (Exception e)
        {
            connection.Dispose();
            throw Errors.Translate(e, url);
        }
        return new Link(connection, onReturn: null, url);
    }
}
