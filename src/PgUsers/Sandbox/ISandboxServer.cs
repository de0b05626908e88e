namespace PgUsers.Sandbox;

internal interface ISandboxServer
{
    string Kind { get; }
    string Version { get; }
    string? Directory { get; }
    bool IsRunning { get; }
    void Restart();
    void Stop();
}
