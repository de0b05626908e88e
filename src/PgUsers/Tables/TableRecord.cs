using System.Management.Automation;

namespace PgUsers.Tables;

/// <summary>
/// One input record for a table, converted: a value per column in table order, <see cref="ColumnValues.Absent"/>
/// where the input did not carry the column (it gets the column's DEFAULT), or why it cannot be used.
/// </summary>
internal class TableRecord
{
    public TableRecord(long number, object?[] values, string? problem)
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

    public bool Has(int ordinal) => !ReferenceEquals(Values[ordinal], ColumnValues.Absent);

    public void Refuse(string problem) => Problem ??= problem;

    /// <summary>The error that names the record by its place in the input and says what is wrong with it.</summary>
    /// <param name="skipped">True when -SkipInvalid skips it: the message then does not say that nothing was written.</param>
    /// <param name="input">The input object, the error's target.</param>
    public ErrorRecord TableError(bool skipped, object? input) => new(
        new ArgumentException($"Input record {Number} is not valid: {Problem}."
            + (skipped ? "" : " Nothing was written; -SkipInvalid writes the valid records and reports each invalid one.")),
        "PgUsers.InvalidRecord", ErrorCategory.InvalidData, input);
}
