namespace PgUsers.Engine;

/// <summary>Text COPY through the seam: any COPY statement, any table; the text is the caller's.</summary>
internal partial interface IDbLink
{
    /// <summary>
    /// Starts <paramref name="copySql"/>, a <c>COPY ... FROM STDIN</c> in text or CSV format, in the
    /// connection's transaction. Waits for the table's lock; cancelling the token stops that wait on the server.
    /// </summary>
    ITextCopyIn BeginTextCopyIn(string copySql, CancellationToken cancellationToken);

    /// <summary>Starts <paramref name="copySql"/>, a <c>COPY ... TO STDOUT</c> in text or CSV format.</summary>
    ITextCopyOut BeginTextCopyOut(string copySql, CancellationToken cancellationToken);
}
