# Written from branch users (SetDbUserCommand.cs, UserChangeCmdlet.cs). Once the cmdlet is in
# the module its parameter facts come from the code and Planned is ignored.
@{
    Name        = 'Set-DbUser'
    Synopsis    = 'Changes users of the users table: only the columns given, for each id given or piped in.'
    Description = @'
Set-DbUser updates the user with the given TelegramId. Only the columns that are given change:
those named on the command line, and those that the piped object has as properties (PascalCase
or column names). So Import-Csv fixes.csv | Set-DbUser, with a CSV of telegram_id and
full_name, changes only full names; and Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode
uk changes the language (the other properties of the piped users bind too, with the values
they already have).

All the input of one call runs in one transaction, committed at the end; a failure rolls all of
it back. Inside a session the changes are part of the session's transaction.

Errors that skip one user and go on (non-terminating): an id that does not exist
(PgUsers.UserNotFound), nothing to set (PgUsers.NothingToSet), and an attempt to empty
FullName or LanguageCode, which are NOT NULL (PgUsers.InvalidUser). A PostgreSQL error, such
as a ReferrerId that is not a user, stops the command and rolls back.

Supports -WhatIf and -Confirm. -PassThru returns the changed users.
'@
    Parameters  = @{
        TelegramId   = 'The id of the user to change. Binds from the pipeline by property name (TelegramId, telegram_id or Id).'
        FullName     = 'The new full name, up to 255 characters. It cannot be emptied.'
        Username     = 'The new @username without the @; empty sets it to none (NULL).'
        LanguageCode = 'The new language code, such as en. It cannot be emptied.'
        CreatedAt    = 'The new creation time; empty sets the column to NULL.'
        ReferrerId   = 'The new referrer id, which must be an existing user; empty sets it to none (NULL).'
        PassThru     = 'Returns a PgUsers.User for each user changed, as stored after the change.'
        InputObject  = 'The piped record itself (hidden; bound automatically). It tells which columns the record gives, so only those change.'
    }
    Planned     = @(
        @{ Name = 'TelegramId'; Type = 'System.Int64'; Required = $true; Position = 0; Pipeline = 'ByPropertyName'; Aliases = 'telegram_id, Id' }
        @{ Name = 'FullName'; Type = 'System.String'; Position = 1; Pipeline = 'ByPropertyName'; Aliases = 'full_name' }
        @{ Name = 'Username'; Type = 'System.String'; Pipeline = 'ByPropertyName' }
        @{ Name = 'LanguageCode'; Type = 'System.String'; Pipeline = 'ByPropertyName'; Aliases = 'language_code' }
        @{ Name = 'CreatedAt'; Type = 'System.DateTime'; Pipeline = 'ByPropertyName'; Aliases = 'created_at' }
        @{ Name = 'ReferrerId'; Type = 'System.Int64'; Pipeline = 'ByPropertyName'; Aliases = 'referrer_id' }
        @{ Name = 'PassThru'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Engine'; Type = 'PgUsers.DbEngine' }
        @{ Name = 'Session'; Type = 'PgUsers.DbSession' }
        @{ Name = 'WhatIf'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Confirm'; Type = 'System.Management.Automation.SwitchParameter' }
    )
    Inputs      = @(
        @{ Type = 'PgUsers.User'; Description = 'Users from Get-DbUser.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Any object with a TelegramId (or telegram_id) property and the properties to change, such as CSV rows.' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'Nothing by default.' }
        @{ Type = 'PgUsers.User'; Description = 'With -PassThru: the users as changed.' }
    )
    Examples    = @(
        @{
            Title   = 'Change the language of a group of users'
            Code    = @'
Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode uk -WhatIf
Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode uk -PassThru | Export-Csv moved.csv -NoTypeInformation
'@
            Remarks = '-WhatIf lists the users that would change; the second line changes them in one transaction and records them.'
        }
        @{
            Title   = 'Apply corrections from a CSV file'
            Code    = @'
Import-Csv corrections.csv | Set-DbUser -Verbose
'@
            Remarks = @'
With a CSV of telegram_id and full_name, only the full names change. -Verbose says how many
users were changed.
'@
        }
        @{
            Title   = 'Change one user by position'
            Code    = @'
Set-DbUser 2 'Jane Smith' -ReferrerId 10
'@
            Remarks = 'TelegramId and FullName can be given by position.'
        }
    )
    Links       = @('Get-DbUser', 'Add-DbUser', 'Remove-DbUser')
}
