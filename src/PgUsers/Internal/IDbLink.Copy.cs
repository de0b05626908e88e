namespace PgUsers.Internal;

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

/// <summary>The text of a running COPY FROM STDIN. Disposed before <see cref="Complete"/>, the COPY is cancelled and nothing of it lands.</summary>
internal interface ITextCopyIn : IDisposable
{
    /// <summary>Sends text; throws <see cref="OperationCanceledException"/> once the token is cancelled.</summary>
    void Write(char[] buffer, int count);

    /// <summary>Ends the input; the server checks what is left (foreign keys) and reports a bad line as a <see cref="DbSqlException"/>.</summary>
    void Complete();
}

/// <summary>The text of a running COPY TO STDOUT. Disposed before the end, the COPY is stopped on the server.</summary>
internal interface ITextCopyOut : IDisposable
{
    /// <summary>Reads up to <c>buffer.Length</c> characters; 0 at the end of the output.</summary>
    int Read(char[] buffer);
}
