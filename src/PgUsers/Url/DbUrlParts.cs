using System.Collections;
using System.Management.Automation;

namespace PgUsers.Url;

/// <summary>What New-DbUrl was given, as plain values: each given part replaces that part of the starting URL.</summary>
internal sealed record DbUrlParts
{
    /// <summary>The URL to start from: a DbUrl, URL text, a sandbox or an engine (not given: all defaults).</summary>
    public Given<object?> Url { get; init; }
    public Given<string?> Drivername { get; init; }
    public Given<string?> Username { get; init; }

    /// <summary>A string or a SecureString.</summary>
    public Given<object?> Password { get; init; }

    /// <summary>User name and password together, instead of Username and Password.</summary>
    public PSCredential? Credential { get; init; }

    /// <summary>Host names (strings, host lists) or DbHost objects.</summary>
    public Given<object[]?> HostName { get; init; }
    public Given<int?> Port { get; init; }
    public Given<string?> Database { get; init; }

    /// <summary>Options merged by key into the URL's query.</summary>
    public IDictionary? Query { get; init; }

    /// <summary>A connection service of pg_service.conf (the query's service option).</summary>
    public Given<string?> Service { get; init; }
}
