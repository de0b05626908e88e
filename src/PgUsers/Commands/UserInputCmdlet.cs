using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Base of the cmdlets that take users from the pipeline (Add-, Set-, Remove-DbUser): binds each
/// piped object itself, through the users column table, and applies one rule to bad records: the
/// whole command fails and nothing lands, unless -SkipInvalid asks to skip each with an error.
/// </summary>
public abstract class UserInputCmdlet : DbCmdlet
{
    private UserBinder? _binder;

    /// <summary>A user per pipeline object: PgUsers.User objects, hashtables, PSCustomObjects or Import-Csv rows, with PowerShell or column names.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Load the valid records and write one error per invalid one, instead of failing the whole command.</summary>
    [Parameter]
    public SwitchParameter SkipInvalid { get; set; }

    /// <summary>How the binder treats input (see <see cref="UserBinder"/>'s options).</summary>
    private protected virtual UserBinder CreateBinder(object?[] named) => new(named);

    /// <summary>
    /// The current record: the piped object, or the named parameters alone when nothing is piped.
    /// Null when the record is invalid and -SkipInvalid skipped it (its error is written).
    /// </summary>
    private protected UserRecord? NextRecord()
    {
        _binder ??= CreateBinder(NamedValues());
        bool piped = MyInvocation.ExpectingInput;
        var record = piped ? _binder.Bind(InputObject) : _binder.FromNamed();
        Check(record);
        return Refuse(record, piped ? InputObject : null) ? null : record;
    }

    /// <summary>Command-specific checks of a converted record (what a column must hold for this command).</summary>
    private protected virtual void Check(UserRecord record)
    {
    }

    /// <summary>
    /// True when the record is invalid and was skipped (-SkipInvalid). Without -SkipInvalid an invalid
    /// record fails the command: nothing of it lands.
    /// </summary>
    private protected bool Refuse(UserRecord record, object? target)
    {
        if (record.Problem is null) return false;
        string what = MyInvocation.ExpectingInput ? $"Input record {record.Number}" : "The user";
        // The id says which user; the input object itself when the id is what is wrong.
        object? about = record.Id is long id ? id : target;
        var category = record.ErrorId == "PgUsers.DuplicateUser" ? ErrorCategory.ResourceExists : ErrorCategory.InvalidData;
        string message = $"{what} is not valid: {record.Problem}."
            + (SkipInvalid ? "" : " Nothing was changed; -SkipInvalid loads the valid records and reports each invalid one.");
        var error = new ErrorRecord(new ArgumentException(message), record.ErrorId, category, about);
        if (SkipInvalid)
        {
            WriteError(error);
            return true;
        }
        Fail(error);
        return true;
    }

    /// <summary>Ends the command with a terminating error; what it did is rolled back first.</summary>
    private protected virtual void Fail(ErrorRecord record)
    {
        OnFailing(record.Exception);
        ThrowTerminatingError(record);
    }

    /// <summary>The column parameters given by name (already converted strictly), in table order.</summary>
    private object?[] NamedValues()
    {
        var values = UserBinder.NewAbsent();
        foreach (var column in UserTable.Columns)
        {
            if (MyInvocation.BoundParameters.TryGetValue(column.PsName, out var value)) values[column.Ordinal] = value;
        }
        return values;
    }
}
