namespace PgUsers.Engine;

/// <summary>The text of a running COPY TO STDOUT. Disposed before the end, the COPY is stopped on the server.</summary>
internal interface ITextCopyOut : IDisposable
{
    /// <summary>Reads up to <c>buffer.Length</c> characters; 0 at the end of the output.</summary>
    int Read(char[] buffer);
}
