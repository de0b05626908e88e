namespace PgUsers.Sandbox;

/// <summary>No container engine answers the docker client (or there is no client): Start-DbSandbox's PgUsers.NoContainerEngine.</summary>
internal sealed class ContainerEngineException : InvalidOperationException
{
    public ContainerEngineException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
