namespace PgUsers;

/// <summary>One process of a sandbox: its primary, a streaming standby, or its PgBouncer.</summary>
public sealed class DbSandboxServer
{
    internal DbSandboxServer(Sandbox.ISandboxServer server, string role, DbUrl url)
    {
        Server = server;
        Role = role;
        Url = url;
    }

    /// <summary>Primary, Standby or Pooler (a promoted standby keeps saying Standby: ask the server).</summary>
    public string Role { get; }
    /// <summary>Connects as the sandbox's superuser to the postgres database through this process.</summary>
    public DbUrl Url { get; }
    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port => Url.Port ?? 5432;
    /// <summary>Where its files live, deleted on stop.</summary>
    public string? Directory => Server.Directory;
    /// <summary>True until stopped.</summary>
    public bool IsRunning => Server.IsRunning;

    internal Sandbox.ISandboxServer Server { get; }

    /// <summary>Promotes a standby to a primary (pg_ctl promote, waiting until it accepts writes): how a failover ends.</summary>
    public void Promote()
    {
        ObjectDisposedException.ThrowIf(!IsRunning, this);
        if (Server is not Sandbox.LocalServer local || Role != "Standby")
        {
            throw new InvalidOperationException($"Only a standby can be promoted; this is the sandbox's {Role.ToLowerInvariant()}.");
        }
        local.Promote();
    }

    /// <summary>
    /// Stops this process and deletes its files. A server shuts down cleanly (pg_ctl's fast mode:
    /// sessions are ended, and standbys get all of its WAL first), as when an operator takes it down.
    /// </summary>
    public void Stop()
    {
        if (Server is Sandbox.LocalServer local) local.Stop("fast");
        else Server.Stop();
    }

    /// <summary>Role(url) with the password masked.</summary>
    public override string ToString() => $"{Role}({Url})";
}
