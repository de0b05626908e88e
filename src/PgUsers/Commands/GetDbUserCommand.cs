using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>Gets users: all, by id, by wildcard name, language, referrer (or the whole referral tree), creation time; with paging.</summary>
[Cmdlet(VerbsCommon.Get, "DbUser", SupportsPaging = true, DefaultParameterSetName = "Filter")]
[OutputType(typeof(User))]
public sealed class GetDbUserCommand : DbCmdlet
{
    /// <summary>Users by id; those that do not exist are reported as not found.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Id", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(UserTable.TelegramIdName, "Id")]
    [UserValue(nameof(User.TelegramId), Many = true)]
    public long[] TelegramId { get; set; } = Array.Empty<long>();

    /// <summary>Username pattern (wildcards, case-insensitive).</summary>
    [Parameter(ParameterSetName = "Filter")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateWildcard]
    public string? Username { get; set; }

    /// <summary>Full name pattern (wildcards, case-insensitive).</summary>
    [Parameter(ParameterSetName = "Filter")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateWildcard]
    public string? FullName { get; set; }

    /// <summary>Language codes to match (case-insensitive).</summary>
    [Parameter(ParameterSetName = "Filter")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LanguageCodeCompleter))]
    public string[]? LanguageCode { get; set; }

    /// <summary>Users referred by this id.</summary>
    [Parameter(ParameterSetName = "Filter")]
    public long? ReferrerId { get; set; }

    /// <summary>With -ReferrerId: the whole referral tree, each user with its Depth.</summary>
    [Parameter(ParameterSetName = "Filter")]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Users created after this time.</summary>
    [Parameter(ParameterSetName = "Filter")]
    public DateTime? CreatedAfter { get; set; }

    /// <summary>Users created before this time.</summary>
    [Parameter(ParameterSetName = "Filter")]
    public DateTime? CreatedBefore { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Recurse && ReferrerId is null)
        {
            Fail(DbErrors.Argument("PgUsers.RecurseNeedsReferrer", "-Recurse walks the referral tree under -ReferrerId: give -ReferrerId too.", null));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var query = UserQuery.Build(new UserFilter
        {
            Ids = ParameterSetName == "Id" ? TelegramId : null,
            Username = Username,
            FullName = FullName,
            LanguageCodes = LanguageCode,
            ReferrerId = ReferrerId,
            Recurse = Recurse,
            CreatedAfter = CreatedAfter,
            CreatedBefore = CreatedBefore,
            First = PagingParameters.First,
            Skip = PagingParameters.Skip,
        });
        var found = ParameterSetName == "Id" ? new HashSet<long>() : null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long count = 0;
        try
        {
            var link = Unit.Link;
            if (PagingParameters.IncludeTotalCount)
            {
                var total = Convert.ToUInt64(link.ExecuteScalar(query.Count, Cancellation));
                WriteObject(PagingParameters.NewTotalCount(total, 1.0));
            }
            if (Recurse)
            {
                using var tree = new Prefetch<(User User, object? Depth)>(UserRows.ReadWithExtra(link, query.Rows, Cancellation), link.InterruptRead, Notices);
                foreach (var batch in tree.Batches(Cancellation))
                {
                    count += batch.Length;
                    WriteObject(batch.Select(AsReferral).ToArray(), enumerateCollection: true);
                }
            }
            else
            {
                using var users = new Prefetch<User>(UserRows.Read(link, query.Rows, Cancellation), link.InterruptRead, Notices);
                foreach (var batch in users.Batches(Cancellation))
                {
                    found?.UnionWith(batch.Select(user => user.TelegramId));
                    count += batch.Length;
                    WriteObject(batch, enumerateCollection: true);
                }
            }
            ReleaseUnit();
            WriteVerbose($"{count} users in {clock.Elapsed.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception e) when (DbErrors.IsNotFromPowerShell(e))
        {
            Fail(e, ParameterSetName == "Id" ? TelegramId : null);
        }
        if (found is null) return;
        foreach (long id in TelegramId.Where(id => !found.Contains(id)).Distinct())
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No user with TelegramId {id}."), "PgUsers.UserNotFound", ErrorCategory.ObjectNotFound, id));
        }
    }

    // A user of a referral tree carries its Depth (1 = referred directly): the PgUsers.User#Referral view puts it first.
    private static PSObject AsReferral((User User, object? Depth) row)
    {
        var wrapped = new PSObject(row.User);
        wrapped.TypeNames.Insert(0, "PgUsers.User#Referral");
        wrapped.Properties.Add(new PSNoteProperty("Depth", Convert.ToInt32(row.Depth, System.Globalization.CultureInfo.InvariantCulture)));
        return wrapped;
    }
}
