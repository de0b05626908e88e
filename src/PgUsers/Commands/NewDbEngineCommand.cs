using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Creates a lazily-pooled engine for a URL and makes it this session's default (SQLAlchemy's create_engine).</summary>
[Cmdlet(VerbsCommon.New, "DbEngine")]
[OutputType(typeof(DbEngine))]
public sealed class NewDbEngineCommand : PgUsersCmdlet
{
    private static int s_counter;

    /// <summary>The URL: a DbUrl from New-DbUrl, or a URL string.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [DbUrlTransformation]
    [ValidateNotNull]
    public DbUrl Url { get; set; } = null!;

    /// <summary>Connections kept open when idle.</summary>
    [Parameter]
    [NoUrlEcho]
    [ValidateRange(1, 10_000)]
    public int PoolSize { get; set; } = 5;

    /// <summary>Extra connections allowed under load; closed soon after they are returned.</summary>
    [Parameter]
    [NoUrlEcho]
    [ValidateRange(0, 10_000)]
    public int MaxOverflow { get; set; } = 10;

    /// <summary>Seconds a caller waits for a free connection before the QueuePool limit error.</summary>
    [Parameter]
    [NoUrlEcho]
    [ValidateRange(0.001, 86_400.0)]
    public double PoolTimeout { get; set; } = 30;

    /// <summary>Seconds after which a connection is replaced instead of reused; -1 = never.</summary>
    [Parameter]
    [NoUrlEcho]
    [ValidatePoolRecycle]
    public int PoolRecycle { get; set; } = -1;

    /// <summary>Check a reused connection before handing it out; replace it invisibly when dead.</summary>
    [Parameter]
    public SwitchParameter PrePing { get; set; }

    /// <summary>
    /// What a connection's return resets: Discard (the default: DISCARD ALL, in the background) or Rollback
    /// (the transaction only, SQLAlchemy's default; session settings, roles, temp tables, locks, LISTEN and
    /// prepared statements carry over to the next command).
    /// </summary>
    [Parameter]
    [ValidateSet(nameof(Engine.ResetOnReturn.Discard), nameof(Engine.ResetOnReturn.Rollback))]
    public string ResetOnReturn { get; set; } = nameof(Engine.ResetOnReturn.Discard);

    /// <summary>A script block called for each new physical connection with the host and user name; its output is the password (a token).</summary>
    [Parameter]
    [ValidateNotNull]
    public ScriptBlock? PasswordProvider { get; set; }

    /// <summary>A name to find the engine by (Get-DbEngine -Name).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Url.Problem is { } problem)
        {
            ReportInvalidUrl(problem);
            return;
        }
        if (PasswordProvider is not null && Url.Password is { Length: > 0 })
        {
            Fail(DbErrors.Argument("PgUsers.PasswordAndProvider",
                "The URL has a password and -PasswordProvider gives one too: remove the password from the URL, or leave out -PasswordProvider.", Url));
        }
        string name = Name ?? "engine" + Interlocked.Increment(ref s_counter);
        var settings = new PoolSettings(name, PoolSize, MaxOverflow, PoolTimeout, PoolRecycle, PrePing,
            PasswordProvider is null ? null : new PasswordProvider(PasswordProvider),
            Enum.Parse<ResetOnReturn>(ResetOnReturn, ignoreCase: true));
        try
        {
            var engine = new DbEngine(Url, settings, Driver.Instance.CreatePool(Url, settings));
            RunspaceState.Current.AddEngine(engine);
            engine.WarnOnce(this);
            WriteVerbose($"Engine '{name}' for {Url}: pool {PoolSize} + overflow {MaxOverflow}, timeout {PoolTimeout} s, recycle {PoolRecycle} s{(PrePing ? ", pre-ping" : "")}, reset on return: {settings.ResetOnReturn}{(PasswordProvider is null ? "" : ", passwords from -PasswordProvider")}. It is now this session's default; no connection is open yet.");
            WriteObject(engine);
        }
        catch (DbConfigurationException e)
        {
            Fail(new ErrorRecord(e, "PgUsers.InvalidUrlOption", ErrorCategory.InvalidArgument, Url));
        }
    }
}
