namespace PgUsers.Url;

/// <summary>A part New-DbUrl may have been given: whether it was, and its value ($null is a value: it removes the part).</summary>
internal readonly record struct Given<T>(bool IsGiven, T Value);
