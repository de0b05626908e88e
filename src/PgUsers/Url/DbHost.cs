using System.Collections.ObjectModel;

namespace PgUsers;

/// <summary>One host of a (possibly multi-host) URL: a name, IP address or socket folder, and an optional port.</summary>
public sealed class DbHost : IEquatable<DbHost>
{
    /// <summary>Creates a host; an empty name means the default host, a null port the default port.</summary>
    public DbHost(string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        UrlFields.CheckText(name, "HostName");
        if (port is < 1 or > 65535)
        {
            throw new DbConfigurationException($"The port {port} is not a number from 1 to 65535.", "Port");
        }
        Name = name;
        Port = port;
    }

    /// <summary>The host name, IP address or Unix socket folder; empty for the default host.</summary>
    public string Name { get; }
    /// <summary>The TCP port, or null for the default.</summary>
    public int? Port { get; }

    /// <summary>host or host:port, an IPv6 address in brackets (for reading, not escaped).</summary>
    public override string ToString() => (Name.Contains(':') ? "[" + Name + "]" : Name) + (Port is int p ? ":" + p : "");

    public bool Equals(DbHost? other) => other is not null && Name == other.Name && Port == other.Port;

    public override bool Equals(object? obj) => obj is DbHost other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Name, Port);
}
