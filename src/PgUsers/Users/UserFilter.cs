namespace PgUsers.Users;

/// <summary>What Get-DbUser asks for, as plain values: each given filter narrows the users, then paging applies.</summary>
internal sealed record UserFilter
{
    /// <summary>Only these ids (the Id parameter set); null for no id filter.</summary>
    public long[]? Ids { get; init; }

    /// <summary>A PowerShell wildcard pattern over the username, case-insensitive.</summary>
    public string? Username { get; init; }

    /// <summary>A PowerShell wildcard pattern over the full name, case-insensitive.</summary>
    public string? FullName { get; init; }

    /// <summary>Any of these language codes, case-insensitive.</summary>
    public string[]? LanguageCodes { get; init; }

    /// <summary>Users referred by this user; with <see cref="Recurse"/>, the whole tree under it.</summary>
    public long? ReferrerId { get; init; }

    public bool Recurse { get; init; }

    public DateTime? CreatedAfter { get; init; }

    public DateTime? CreatedBefore { get; init; }

    /// <summary>At most this many users (ulong.MaxValue: no limit), after skipping <see cref="Skip"/>.</summary>
    public ulong First { get; init; } = ulong.MaxValue;

    public ulong Skip { get; init; }
}
