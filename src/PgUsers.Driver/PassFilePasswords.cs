using Npgsql;

namespace PgUsers.Driver;

/// <summary>
/// The password file, by libpq's rules (<see cref="PassFile"/>), for an engine with no password of its own (none in
/// the URL, its service or PGPASSWORD, and no -PasswordProvider). Npgsql never reads a password file itself: its
/// Passfile is cleared, and it asks this for each new physical connection through its password provider, which
/// gets the settings of the one host being opened, so each host of a multi-host URL is matched apart, as libpq does.
/// A connection the file has no password for fails with that said, instead of Npgsql's own look at the files.
/// </summary>
internal sealed class PassFilePasswords
{
    private readonly PassFile _file;

    private PassFilePasswords(PassFile file) => _file = file;

    /// <summary>libpq's warning about the file, to tell the user once; null when there is none.</summary>
    public string? Warning => _file.Warning;

    /// <summary>
    /// Takes the passfile option out of <paramref name="builder"/> (so Npgsql never sees it) and reads the file when the
    /// engine has no other password; null when it has one.
    /// </summary>
    public static PassFilePasswords? Take(NpgsqlConnectionStringBuilder builder, bool hasProvider)
    {
        string? given = builder.Passfile;
        builder.Passfile = null;
        if (hasProvider || builder.Password is not null) return null;
        return new PassFilePasswords(PassFile.Open(given, Environment.GetEnvironmentVariable));
    }

    /// <summary>Makes this the data source's password provider: it gives a password or fails the connect, never nothing.</summary>
    public void Attach(NpgsqlDataSourceBuilder source) =>
        source.UsePasswordProvider(For, (b, _) => new ValueTask<string>(For(b)));

    // Npgsql calls this only when the server asks for a password; returning null would send it to its own file look-up.
    private string For(NpgsqlConnectionStringBuilder b)
    {
        string host = b.Host ?? "", database = b.Database ?? "", user = b.Username ?? "";
        return _file.PasswordFor(host, b.Port, database, user) ?? throw new InvalidOperationException(
            "the server asks for a password and none was given: the URL, its service and PGPASSWORD have none, and the password file "
            + $"\"{_file.Path}\" {_file.Unread ?? $"has no password for {PassFile.HostForMatching(host)}:{b.Port}:{database}:{user}"}.");
    }

    /// <summary>
    /// The server refused a password (28P01), which for this engine can only have come from the file: the error names the
    /// file in its hint, as libpq's does.
    /// </summary>
    public Exception Explain(Exception error)
    {
        if (error is not DbSqlException { SqlState: "28P01" } sql) return error;
        string hint = $"The password came from the password file \"{_file.Path}\".";
        return new DbSqlException(sql.SqlState, sql.Severity, sql.MessageText, sql.Detail, sql.Hint is null ? hint : sql.Hint + " " + hint,
            sql.Position, sql.SchemaName, sql.TableName, sql.ColumnName, sql.ConstraintName, inner: null, sql.Where);
    }
}
