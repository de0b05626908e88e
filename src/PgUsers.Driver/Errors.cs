using System.Net.Sockets;
using Npgsql;

namespace PgUsers.Driver;

/// <summary>Npgsql's exceptions as PgUsers exceptions: no Npgsql type crosses into the cmdlets, no password into a message.</summary>
internal static class Errors
{
    /// <param name="connection">The connection the failure came from, when known: once it is broken, whatever fails on it is a lost connection.</param>
    public static Exception Translate(Exception e, DbUrl url, CancellationToken cancellationToken = default, NpgsqlConnection? connection = null)
    {
        if (connection is not null && !cancellationToken.IsCancellationRequested
            && e is InvalidOperationException or NpgsqlException { InnerException: not TimeoutException } and not PostgresException
            && (connection.State == System.Data.ConnectionState.Closed || (connection.FullState & System.Data.ConnectionState.Broken) != 0))
        {
            return new DbConnectionLostException(
                $"The connection to the server at {Where(url)} was lost earlier (the server closed it or the network failed); roll back and retry on a new connection.", null);
        }
        switch (e)
        {
            case DbSqlException or DbConnectionException or DbConnectionLostException or DbConfigurationException or DbPoolTimeoutException or DbServerKindException
                or DbTlsException or DbPasswordProviderException or DbValueException:
                return e;
            case OperationCanceledException:
                return e;
            case PostgresException pg when pg.SqlState == PostgresErrorCodes.QueryCanceled && cancellationToken.IsCancellationRequested:
                return new OperationCanceledException("The statement was cancelled on the server.", pg, cancellationToken);
            case PostgresException pg when IsConnectionLoss(pg.SqlState):
                return new DbConnectionLostException(
                    $"The connection to the server at {Where(url)} was lost ({pg.SqlState}: {Redact(pg.MessageText, url)}).", pg.SqlState);
            case PostgresException pg:
                return new DbSqlException(pg.SqlState, pg.Severity, Redact(pg.MessageText, url), Redact(pg.Detail, url), pg.Hint,
                    pg.Position, pg.SchemaName, pg.TableName, pg.ColumnName, pg.ConstraintName, inner: null, where: Redact(pg.Where, url));
            case NpgsqlException { InnerException: TimeoutException } when !cancellationToken.IsCancellationRequested:
                return new TimeoutException("The statement ran longer than -CommandTimeout and was cancelled on the server.");
            case NpgsqlException { InnerException: EndOfStreamException or IOException { InnerException: not SocketException { SocketErrorCode: SocketError.ConnectionRefused } } }:
                // The stream ended or broke on an open connection: the server went away mid-use.
                return new DbConnectionLostException($"The connection to the server at {Where(url)} was lost: {Redact(Innermost(e).Message, url)}", null);
            case NpgsqlException or SocketException or IOException or TimeoutException:
                return new DbConnectionException($"Could not talk to the server at {Where(url)}: {Redact(Innermost(e).Message, url)}", inner: null);
            case ArgumentException or InvalidCastException or NotSupportedException or InvalidOperationException:
                return new ArgumentException(Redact(e.Message, url), e.InnerException is null ? null : new Exception(Redact(e.InnerException.Message, url)));
            default:
                return new InvalidOperationException(Redact(e.Message, url));
        }
    }

    /// <summary>
    /// A failure to open a connection: a timeout says so and names the host and port and the setting
    /// that bounded it (no statement ran); other network failures name the host and port.
    /// </summary>
    public static Exception TranslateConnect(Exception e, DbUrl url, string target, int timeoutSeconds, string timeoutSetting, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Translate(e, url, cancellationToken);
        if (TlsCheck.Find(e) is { } tls) return tls;
        // Npgsql wraps what its password callback threw: the block's own failure is the news.
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbPasswordProviderException provider) return provider;
        }
        switch (e)
        {
            case NpgsqlException { InnerException: TimeoutException } or TimeoutException:
                return new DbConnectionException(
                    $"Timed out after {timeoutSeconds} s connecting to the server at {target} ({timeoutSetting}): it did not complete the connection. "
                    + "Check the host and port, that PostgreSQL listens there, and that no firewall swallows the connection.", inner: null, timedOut: true);
            case PostgresException:
                return Translate(e, url, cancellationToken);
            case NpgsqlException or SocketException or IOException:
                return new DbConnectionException($"Could not connect to the server at {target}: {Redact(Innermost(e).Message, url)}", inner: null);
            default:
                return Translate(e, url, cancellationToken);
        }
    }

    /// <summary>
    /// The server's "column "a" does not exist" for a text that has an @a placeholder no value was given for
    /// (Npgsql leaves an unknown @a in the text, and PostgreSQL reads it as the column a): says so, or null.
    /// The SQLSTATE stays 42703.
    /// </summary>
    public static Exception? MissingParameter(Exception e, string sql, IReadOnlyList<string> given, DbUrl url)
    {
        if (e is not PostgresException { SqlState: PostgresErrorCodes.UndefinedColumn } pg) return null;
        var column = System.Text.RegularExpressions.Regex.Match(pg.MessageText, "^column \"(?<name>[^\"]+)\" does not exist");
        if (!column.Success) return null;
        string name = column.Groups["name"].Value;
        if (given.Contains(name, StringComparer.OrdinalIgnoreCase)) return null;
        var placeholder = System.Text.RegularExpressions.Regex.Match(sql, "(?<![\\w@:$])@(?<name>" + System.Text.RegularExpressions.Regex.Escape(name) + ")(?![\\w$])",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (!placeholder.Success) return null;
        string written = placeholder.Groups["name"].Value;
        string message = $"No value was given for the parameter @{written}: pass it with -Parameters @{{ {written} = ... }} or as a property of the input object "
            + $"(without a value, the server read @{written} as the column {name}, which does not exist).";
        return new DbSqlException(pg.SqlState, pg.Severity, Redact(message, url), null, null, pg.Position, null, null, null, null, inner: null);
    }

    /// <summary>
    /// The server's "could not determine data type of parameter $n" (42P18) or "could not determine polymorphic
    /// type because input has type unknown" (42804) when some parameters went untyped (an empty or all-null array,
    /// JSON, text from the pipeline): names them and says how to cast, or null.
    /// </summary>
    public static Exception? UntypedParameter(Exception e, IReadOnlyList<string> untyped)
    {
        if (untyped.Count == 0 || e is not PostgresException pg) return null;
        if (pg.SqlState != PostgresErrorCodes.IndeterminateDatatype
            && !(pg.SqlState == PostgresErrorCodes.DatatypeMismatch && pg.MessageText.Contains("type unknown", StringComparison.Ordinal)))
        {
            return null;
        }
        string which = untyped.Count == 1 ? "@" + untyped[0] : "one of " + string.Join(", ", untyped.Select(n => "@" + n));
        string example = "@" + untyped[0];
        return new DbValueException("PgUsers.ParameterType",
            $"PostgreSQL could not tell the type of {which}: an empty or all-null array (or JSON) has no type of its own and takes it from the SQL. "
            + $"Cast it there, as {example}::int[] or {example}::text[] (or {example}::jsonb), or compare it with a column.", untyped.Count == 1 ? untyped[0] : null);
    }

    /// <summary>57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, and class 08 (connection exception).</summary>
    private static bool IsConnectionLoss(string sqlState) => sqlState is "57P01" or "57P02" or "57P03" || sqlState.StartsWith("08", StringComparison.Ordinal);

    private static string Where(DbUrl url) => url.Hosts.Count == 0 ? "(default host)" : string.Join(",", url.Hosts);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>Defence in depth: a message never carries the URL's password.</summary>
    public static string Redact(string? text, DbUrl url)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // The server quotes values back ("invalid input syntax for type integer: ..."): a URL among them keeps its password hidden.
        text = UrlSecrets.Mask(text);
        string? password = url.Password;
        if (string.IsNullOrEmpty(password) || password.Length < 3) return text;
        text = text.Replace(password, "***", StringComparison.Ordinal);
        string escaped = Uri.EscapeDataString(password);
        return escaped == password ? text : text.Replace(escaped, "***", StringComparison.Ordinal);
    }
}
