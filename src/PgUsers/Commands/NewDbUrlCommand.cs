using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace PgUsers.Commands;

/// <summary>Builds a connection URL from its parts, parses one, or returns a changed copy (SQLAlchemy's URL.create / make_url).</summary>
[Cmdlet(VerbsCommon.New, "DbUrl")]
[OutputType(typeof(DbUrl))]
public sealed class NewDbUrlCommand : PgUsersCmdlet
{
    /// <summary>An existing URL (string or DbUrl) to parse or copy; the other parameters change the copy.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object? Url { get; set; }

    /// <summary>postgresql, postgres, or postgresql+driver.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Drivername { get; set; }

    /// <summary>The user name.</summary>
    [Parameter]
    public string? Username { get; set; }

    /// <summary>The password: a string or a SecureString.</summary>
    [Parameter]
    public object? Password { get; set; }

    /// <summary>User name and password together.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>One host, or several (each may carry :port) for a multi-host URL.</summary>
    [Parameter]
    [Alias("Host")]
    public string[]? HostName { get; set; }

    /// <summary>The TCP port.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>The database name.</summary>
    [Parameter]
    public string? Database { get; set; }

    /// <summary>Query options such as sslmode or application_name; an array value repeats the key.</summary>
    [Parameter]
    public IDictionary? Query { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            WriteObject(DbUrlBuilder.Build(this));
        }
        catch (Exception e) when (e is DbConfigurationException or ArgumentException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PgUsers.InvalidUrl", ErrorCategory.InvalidArgument, (e as ArgumentException)?.ParamName));
        }
    }

    internal bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    internal string? PasswordText => Password switch
    {
        null => null,
        PSObject { BaseObject: SecureString secure } => new NetworkCredential("", secure).Password,
        SecureString secure => new NetworkCredential("", secure).Password,
        PSObject pso => pso.BaseObject.ToString(),
        _ => Password.ToString(),
    };
}
