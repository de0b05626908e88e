using System.Collections;
using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Builds a connection URL from its parts, parses one, or returns a changed copy (SQLAlchemy's URL.create / make_url).</summary>
/// <remarks>
/// Values are checked here rather than by Validate* attributes so that every bad one gets the same
/// stable ErrorId (PgUsers.InvalidUrl) and a message that names the part and never the password.
/// </remarks>
[Cmdlet(VerbsCommon.New, "DbUrl")]
[OutputType(typeof(DbUrl))]
public sealed class NewDbUrlCommand : PgUsersCmdlet
{
    /// <summary>An existing URL (string or DbUrl) to parse or copy; the other parameters change the copy.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public object? Url { get; set; }

    /// <summary>postgresql, postgres, or postgresql+driver.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DrivernameCompleter))]
    public string? Drivername { get; set; }

    /// <summary>The user name; $null or empty for the default.</summary>
    [Parameter]
    public string? Username { get; set; }

    /// <summary>The password: a string or a SecureString; $null removes it.</summary>
    [Parameter]
    public object? Password { get; set; }

    /// <summary>User name and password together.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>One host, or several for a multi-host URL: names, h1:5432,h2 lists, [::1]:5433, socket folders, or DbHost objects.</summary>
    [Parameter]
    [Alias("Host")]
    public object[]? HostName { get; set; }

    /// <summary>The TCP port (1-65535), for every host that names none.</summary>
    [Parameter]
    [NoUrlEcho]
    public int? Port { get; set; }

    /// <summary>The database name; $null or empty for the default.</summary>
    [Parameter]
    public string? Database { get; set; }

    /// <summary>Query options such as sslmode or application_name; an array value repeats the key, $null removes it.</summary>
    [Parameter]
    public IDictionary? Query { get; set; }

    /// <summary>A connection service of pg_service.conf (the service query option); its settings fill what the URL leaves out.</summary>
    [Parameter]
    public string? Service { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        DbUrl url;
        try
        {
            var bound = MyInvocation.BoundParameters;
            Given<T> Part<T>(string name, T value) => new(bound.ContainsKey(name), value);
            url = DbUrlBuilder.Build(new DbUrlParts
            {
                Url = Part(nameof(Url), Url),
                Drivername = Part(nameof(Drivername), Drivername),
                Username = Part(nameof(Username), Username),
                Password = Part(nameof(Password), Password),
                Credential = Credential,
                HostName = Part(nameof(HostName), HostName),
                Port = Part(nameof(Port), Port),
                Database = Part(nameof(Database), Database),
                Query = Query,
                Service = Part(nameof(Service), Service),
            });
        }
        catch (DbConfigurationException e)
        {
            ReportInvalidUrl(e);
            return;
        }
        WriteObject(url);
    }
}
