namespace PgUsers.Engine;

/// <summary>COPY through the seam: any COPY statement, any table; the text or the bytes are the caller's.</summary>
internal partial interface IDbLink
{
    /// <summary>
    /// Starts <paramref name="copySql"/>, a <c>COPY ... FROM STDIN</c> in text or CSV format, in the
    /// connection's transaction. Waits for the table's lock; cancelling the token stops that wait on the server.
    /// </summary>
    ITextCopyIn BeginTextCopyIn(string copySql, CancellationToken cancellationToken);

    /// <summary>Starts <paramref name="copySql"/>, a <c>COPY ... TO STDOUT</c> in text or CSV format.</summary>
    ITextCopyOut BeginTextCopyOut(string copySql, CancellationToken cancellationToken);

    /// <summary>
    /// Starts <paramref name="copySql"/>, a <c>COPY ... FROM STDIN (FORMAT binary)</c>, in the connection's
    /// transaction; the caller sends the bytes (another connection's binary COPY TO, say). Cancelling the
    /// token stops a wait for the table's lock.
    /// </summary>
    IBinaryCopyIn BeginBinaryCopyIn(string copySql, CancellationToken cancellationToken);

    /// <summary>Starts <paramref name="copySql"/>, a <c>COPY ... TO STDOUT (FORMAT binary)</c>, as bytes.</summary>
    IBinaryCopyOut BeginBinaryCopyOut(string copySql, CancellationToken cancellationToken);

    /// <summary>The columns <paramref name="statement"/> would return, asked of the server without running it (parse and describe only).</summary>
    IReadOnlyList<ResultColumn> DescribeResult(DbStatement statement, CancellationToken cancellationToken);
}
