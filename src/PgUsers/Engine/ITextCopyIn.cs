namespace PgUsers.Engine;

/// <summary>The text of a running COPY FROM STDIN. Disposed before <see cref="Complete"/>, the COPY is cancelled and nothing of it lands.</summary>
internal interface ITextCopyIn : IDisposable
{
    /// <summary>Sends text; throws <see cref="OperationCanceledException"/> once the token is cancelled.</summary>
    void Write(char[] buffer, int count);

    /// <summary>Ends the input; the server checks what is left (foreign keys) and reports a bad line as a <see cref="DbSqlException"/>.</summary>
    void Complete();
}
