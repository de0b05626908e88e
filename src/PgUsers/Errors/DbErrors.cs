using System.Management.Automation;

namespace PgUsers.Errors;

/// <summary>Turns exceptions into ErrorRecords with stable ids (PgUsers.Sql.23505, PgUsers.PoolTimeout, …).</summary>
internal static class DbErrors
{
    public static ErrorRecord Record(Exception exception, object? target) => exception switch
    {
        DbSqlException sql => WithHint(new ErrorRecord(sql, "PgUsers.Sql." + sql.SqlState, CategoryOf(sql.SqlState), target), sql.Hint),
        DbPoolTimeoutException => new ErrorRecord(exception, "PgUsers.PoolTimeout", ErrorCategory.ResourceUnavailable, target),
        DbConfigurationException => new ErrorRecord(exception, "PgUsers.InvalidConfiguration", ErrorCategory.InvalidArgument, target),
        DbConnectionLostException => new ErrorRecord(exception, "PgUsers.ConnectionLost", ErrorCategory.ConnectionError, target),
        DbServerKindException => new ErrorRecord(exception, "PgUsers.NoSuitableServer", ErrorCategory.ResourceUnavailable, target),
        // A certificate check: the host is what failed it, whatever the command was working on.
        DbTlsException tls => new ErrorRecord(exception, "PgUsers.TlsVerificationFailed", ErrorCategory.SecurityError, tls.Host),
        // The block's own message; the category says the password could not be had.
        DbPasswordProviderException => new ErrorRecord(exception, "PgUsers.PasswordProviderFailed", ErrorCategory.AuthenticationError, target),
        DbConnectionException { TimedOut: true } => new ErrorRecord(exception, "PgUsers.ConnectTimeout", ErrorCategory.ConnectionError, target),
        DbConnectionException => new ErrorRecord(exception, "PgUsers.ConnectionFailed", ErrorCategory.ConnectionError, target),
        DbSessionException session => new ErrorRecord(exception, session.ErrorId, ErrorCategory.InvalidOperation, target),
        DbValueException value => new ErrorRecord(exception, value.ErrorId,
            value.Parameter is null ? ErrorCategory.InvalidData : ErrorCategory.InvalidArgument, target),
        TimeoutException => new ErrorRecord(exception, "PgUsers.CommandTimeout", ErrorCategory.OperationTimeout, target),
        OperationCanceledException => new ErrorRecord(exception, "PgUsers.Canceled", ErrorCategory.OperationStopped, target),
        ObjectDisposedException => new ErrorRecord(exception, "PgUsers.Disposed", ErrorCategory.InvalidOperation, target),
        _ => new ErrorRecord(exception, "PgUsers.Error", ErrorCategory.NotSpecified, target),
    };

    /// <summary>
    /// True unless <paramref name="exception"/> is one of PowerShell's own (a RuntimeException: the
    /// pipeline stopping, a downstream command's throw surfacing through WriteObject, a terminating
    /// error already made). Those must pass through a command untouched; everything else is a
    /// failure of the command's own work, turned into an error record by <see cref="Record(Exception, object?)"/>.
    /// </summary>
    public static bool IsNotFromPowerShell(Exception exception) => exception is not RuntimeException;

    public static ErrorRecord Record(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null)
        => new(new InvalidOperationException(message, inner), errorId, category, target);

    public static ErrorRecord Argument(string errorId, string message, object? target)
        => new(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    // The server's HINT is what PowerShell calls the recommended action.
    private static ErrorRecord WithHint(ErrorRecord record, string? hint)
    {
        if (!string.IsNullOrEmpty(hint))
        {
            record.ErrorDetails = new ErrorDetails(record.Exception.Message) { RecommendedAction = hint };
        }
        return record;
    }

    /// <summary>PowerShell's category for a SQLSTATE class (the first two characters).</summary>
    public static ErrorCategory CategoryOf(string sqlState) => sqlState switch
    {
        "57014" => ErrorCategory.OperationStopped,
        "42501" => ErrorCategory.PermissionDenied,
        "42P01" or "42703" or "42883" or "3D000" or "3F000" => ErrorCategory.ObjectNotFound,
        "42P07" or "42710" or "23505" => ErrorCategory.ResourceExists,
        _ => (sqlState.Length >= 2 ? sqlState[..2] : sqlState) switch
        {
            "08" => ErrorCategory.ConnectionError,
            "28" => ErrorCategory.AuthenticationError,
            "22" or "23" => ErrorCategory.InvalidData,
            "42" => ErrorCategory.InvalidArgument,
            "25" or "2D" or "40" => ErrorCategory.InvalidOperation,
            "53" or "54" => ErrorCategory.LimitsExceeded,
            "55" => ErrorCategory.ResourceBusy,
            "57" => ErrorCategory.OperationStopped,
            "58" or "XX" => ErrorCategory.NotSpecified,
            _ => ErrorCategory.NotSpecified,
        },
    };
}
