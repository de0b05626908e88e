using System.Management.Automation;

namespace PgUsers.Users;

/// <summary>
/// One input record, converted: a value per users column in table order, <see cref="UserValues.Absent"/>
/// where the input did not carry the column, or the reason it could not be converted.
/// </summary>
internal sealed class UserRecord
{
    public UserRecord(long number, object?[] values, string? problem)
    {
        Number = number;
        Values = values;
        Problem = problem;
    }

    /// <summary>1-based position in the input (the Nth pipeline object).</summary>
    public long Number { get; }

    public object?[] Values { get; }

    /// <summary>Why the record cannot be used, or null.</summary>
    public string? Problem { get; private set; }

    public bool Has(UserColumn column) => !ReferenceEquals(Values[column.Ordinal], UserValues.Absent);

    public object? this[UserColumn column] => Values[column.Ordinal];

    /// <summary>The key, when present and valid.</summary>
    public long? Id => Has(UserTable.Key) && Values[UserTable.Key.Ordinal] is long id ? id : null;

    /// <summary>The ErrorId its error carries: PgUsers.InvalidUser, or PgUsers.DuplicateUser for a repeated id.</summary>
    public string ErrorId { get; private set; } = "PgUsers.InvalidUser";

    public void Refuse(string problem, string? errorId = null)
    {
        if (Problem is not null) return;
        Problem = problem;
        if (errorId is not null) ErrorId = errorId;
    }

    /// <summary>
    /// The error that says why the record cannot be used, naming it by its place in the input
    /// (<paramref name="piped"/>) and, when given, by its id.
    /// </summary>
    /// <param name="piped">True when the record came from the pipeline (it is then named by its number).</param>
    /// <param name="skipped">True when -SkipInvalid skips the record: the message then does not say that nothing changed.</param>
    /// <param name="input">The input object, the error's target when the record has no valid id.</param>
    public ErrorRecord Error(bool piped, bool skipped, object? input)
    {
        string what = piped ? $"Input record {Number}" : "The user";
        // The id says which user; the input object itself when the id is what is wrong.
        object? target = Id is long id ? id : input;
        var category = ErrorId == "PgUsers.DuplicateUser" ? ErrorCategory.ResourceExists : ErrorCategory.InvalidData;
        string message = $"{what} is not valid: {Problem}."
            + (skipped ? "" : " Nothing was changed; -SkipInvalid loads the valid records and reports each invalid one.");
        return new ErrorRecord(new ArgumentException(message), ErrorId, category, target);
    }
}
