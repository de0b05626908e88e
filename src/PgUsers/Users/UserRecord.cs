using System.Management.Automation;

namespace PgUsers.Users;

/// <summary>
/// One input record for the users table (a <see cref="TableRecord"/>), with what the users commands ask of it:
/// its id, and the ErrorId its error carries.
/// </summary>
internal sealed class UserRecord : TableRecord
{
    public UserRecord(long number, object?[] values, string? problem) : base(number, values, problem)
    {
    }

    public bool Has(TableColumn column) => Has(column.Ordinal);

    public object? this[TableColumn column] => Values[column.Ordinal];

    /// <summary>The key, when present and valid.</summary>
    public long? Id => Has(UserTable.Key) && Values[UserTable.Key.Ordinal] is long id ? id : null;

    /// <summary>The ErrorId its error carries: PgUsers.InvalidUser, or PgUsers.DuplicateUser for a repeated id.</summary>
    public string ErrorId { get; private set; } = "PgUsers.InvalidUser";

    public void Refuse(string problem, string errorId)
    {
        if (Problem is not null) return;
        Refuse(problem);
        ErrorId = errorId;
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
