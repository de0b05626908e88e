using Npgsql;
using NpgsqlTypes;

namespace PgUsers.Benchmarks;

/// <summary>The baselines: what a C# program does with Npgsql directly, on the same server and data.</summary>
internal sealed class RawDb : IDisposable
{
    private readonly NpgsqlDataSource _source;

    public RawDb(string connectionString)
    {
        ConnectionString = connectionString;
        _source = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public void Exec(string sql)
    {
        using var command = _source.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    public long Scalar(string sql)
    {
        using var command = _source.CreateCommand(sql);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>Reads users into typed objects, the way hand-written C# would.</summary>
    public long ReadUsers(string sql)
    {
        using var connection = _source.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        long count = 0;
        BenchUser? last = null;
        while (reader.Read())
        {
            last = new BenchUser
            {
                TelegramId = reader.GetInt64(0),
                FullName = reader.GetString(1),
                Username = reader.IsDBNull(2) ? null : reader.GetString(2),
                LanguageCode = reader.GetString(3),
                CreatedAt = reader.IsDBNull(4) ? null : reader.GetDateTime(4),
                ReferrerId = reader.IsDBNull(5) ? null : reader.GetInt64(5),
            };
            count++;
        }
        GC.KeepAlive(last);
        return count;
    }

    /// <summary>Reads any result generically: GetValue per column, boxed, into one reused array.</summary>
    public long ReadGeneric(string sql)
    {
        using var connection = _source.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new object[reader.FieldCount];
        long count = 0;
        while (reader.Read())
        {
            for (int i = 0; i < values.Length; i++) values[i] = reader.GetValue(i);
            count++;
        }
        GC.KeepAlive(values);
        return count;
    }

    /// <summary>Binary COPY of users into the users table.</summary>
    public void Copy(IEnumerable<BenchUser> users)
    {
        using var connection = _source.OpenConnection();
        using var importer = connection.BeginBinaryImport(
            "COPY users (telegram_id, full_name, username, language_code, created_at, referrer_id) FROM STDIN (FORMAT BINARY)");
        foreach (var user in users)
        {
            importer.StartRow();
            importer.Write(user.TelegramId, NpgsqlDbType.Bigint);
            importer.Write(user.FullName, NpgsqlDbType.Varchar);
            importer.Write((object?)user.Username ?? DBNull.Value, NpgsqlDbType.Varchar);
            importer.Write(user.LanguageCode, NpgsqlDbType.Varchar);
            importer.Write((object?)user.CreatedAt ?? DBNull.Value, NpgsqlDbType.Timestamp);
            importer.Write((object?)user.ReferrerId ?? DBNull.Value, NpgsqlDbType.Bigint);
        }
        importer.Complete();
    }

    /// <summary>Text COPY of a CSV file into the server, the way hand-written C# streams a file: returns the characters sent.</summary>
    public long CopyFileIn(string copySql, string path, bool gzip = false)
    {
        using var connection = _source.OpenConnection();
        using var reader = gzip ? new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress)) : new StreamReader(path);
        using var writer = connection.BeginTextImport(copySql);
        return Pump(reader, writer);
    }

    /// <summary>Text COPY out of the server into a file: returns the characters written.</summary>
    public long CopyFileOut(string copySql, string path)
    {
        using var connection = _source.OpenConnection();
        using var reader = connection.BeginTextExport(copySql);
        using var writer = new StreamWriter(path);
        return Pump(reader, writer);
    }

    private static long Pump(TextReader from, TextWriter to)
    {
        var buffer = new char[64 * 1024];
        long total = 0;
        int read;
        while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            to.Write(buffer, 0, read);
            total += read;
        }
        return total;
    }

    /// <summary>One INSERT statement per user, each its own transaction: the loop people write first.</summary>
    public void InsertRowByRow(IEnumerable<BenchUser> users)
    {
        using var connection = _source.OpenConnection();
        foreach (var user in users)
        {
            using var command = new NpgsqlCommand(
                "INSERT INTO users (telegram_id, full_name, username, language_code, created_at, referrer_id) VALUES (@id, @name, @username, @lang, @created, @referrer)",
                connection);
            command.Parameters.AddWithValue("id", user.TelegramId);
            command.Parameters.AddWithValue("name", user.FullName);
            command.Parameters.AddWithValue("username", NpgsqlDbType.Varchar, (object?)user.Username ?? DBNull.Value);
            command.Parameters.AddWithValue("lang", user.LanguageCode);
            command.Parameters.AddWithValue("created", NpgsqlDbType.Timestamp, (object?)user.CreatedAt ?? DBNull.Value);
            command.Parameters.AddWithValue("referrer", NpgsqlDbType.Bigint, (object?)user.ReferrerId ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A small query per call on a pooled data source: open, run, return to the pool.</summary>
    public void ScalarPooled(int calls)
    {
        for (int i = 0; i < calls; i++)
        {
            using var connection = _source.OpenConnection();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
        }
    }

    /// <summary>
    /// As <see cref="ScalarPooled"/> on a pool that does not reset a connection when it comes back: Npgsql's
    /// default sends DISCARD ALL with the first statement of every checkout, which the server runs each call.
    /// </summary>
    public void ScalarPooledWithoutReset(int calls)
    {
        _noReset ??= NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString) { NoResetOnClose = true }.ConnectionString);
        for (int i = 0; i < calls; i++)
        {
            using var connection = _noReset.OpenConnection();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
        }
    }

    private NpgsqlDataSource? _noReset;

    /// <summary>A new physical connection per call (no pool): connect, authenticate, run, close.</summary>
    public void ScalarUnpooled(int calls)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;
        for (int i = 0; i < calls; i++)
        {
            using var connection = new NpgsqlConnection(unpooled);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _noReset?.Dispose();
    }
}
