namespace PgUsers.Engine;

/// <summary>
/// The bytes of a running binary <c>COPY ... FROM STDIN</c>, exactly as PostgreSQL's binary COPY format has
/// them (header, tuples, trailer). Disposed before <see cref="Complete"/>, the COPY is cancelled and nothing of it lands.
/// </summary>
internal interface IBinaryCopyIn : IDisposable
{
    /// <summary>Sends bytes; throws <see cref="OperationCanceledException"/> once the token is cancelled.</summary>
    void Write(byte[] buffer, int count);

    /// <summary>Ends the input and waits for the server's verdict on all of it (a bad tuple, a unique violation) as a <see cref="DbSqlException"/>.</summary>
    void Complete();
}
