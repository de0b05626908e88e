@{
    Name        = 'Set-DbUser'
    Synopsis    = 'Changes users of the users table: only the columns given, for each id given or piped in.'
    Description = @'
Set-DbUser updates users by TelegramId. Only the columns that are given change: those of the
named parameters, and those that the piped object carries as properties. Piped objects bind as
in Add-DbUser: PgUsers.User objects, hashtables, PSCustomObjects and Import-Csv rows, with
PowerShell or column names, any case. So Import-Csv fixes.csv | Set-DbUser, with a CSV of
telegram_id and full_name, changes only full names. A PgUsers.User piped together with named
values gives only its id: Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode uk changes the
language and nothing else, so a concurrent change to another column is not undone.

Values convert strictly, as in Add-DbUser: whole numbers only for ids, text that parses for
CreatedAt, at most 255 characters (code points) for texts. $null or an empty cell sets a
nullable column to NULL; FullName and LanguageCode are NOT NULL and cannot be emptied.

All the input of one call runs in one transaction, committed at the end. An invalid record (a
value that does not convert, an emptied NOT NULL column, nothing to set) ends the command with
a terminating error (PgUsers.InvalidUser) naming the record, the column and the value, and
nothing changes; -SkipInvalid skips each such record with a non-terminating error instead. An
id that does not exist writes a non-terminating PgUsers.UserNotFound error. A PostgreSQL error,
such as a ReferrerId that is not a user, stops the command and rolls back. Inside a session the
changes are part of the session's transaction.

Supports -WhatIf and -Confirm. -PassThru returns the changed users.
'@
    Parameters  = @{
        InputObject  = 'A change per pipeline object: an object with a TelegramId (or telegram_id) property and the properties to change. A PgUsers.User piped with named values gives only its id.'
        TelegramId   = 'The id of the user to change: a whole number (digits only in text).'
        FullName     = 'The new full name, up to 255 characters. It cannot be emptied.'
        Username     = 'The new @username without the @; empty sets it to none (NULL).'
        LanguageCode = 'The new language code, such as en. It cannot be emptied.'
        CreatedAt    = 'The new creation time; empty sets the column to NULL.'
        ReferrerId   = 'The new referrer id, which must be an existing user; empty sets it to none (NULL).'
        SkipInvalid  = 'Applies the valid changes and writes one non-terminating error for each invalid record, instead of failing the whole command.'
        PassThru     = 'Returns a PgUsers.User for each user changed, as stored after the change.'
    }
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
