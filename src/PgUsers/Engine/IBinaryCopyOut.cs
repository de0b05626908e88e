namespace PgUsers.Engine;

/// <summary>The bytes of a running binary <c>COPY ... TO STDOUT</c>. Disposed before the end, the COPY is stopped on the server.</summary>
internal interface IBinaryCopyOut : IDisposable
{
    /// <summary>Reads up to <c>buffer.Length</c> bytes; 0 at the end of the output.</summary>
    int Read(byte[] buffer);
}
