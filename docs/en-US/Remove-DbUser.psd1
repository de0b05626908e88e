@{
    Name        = 'Remove-DbUser'
    Synopsis    = 'Deletes users from the users table; the users they referred stay, with no referrer.'
    Description = @'
Remove-DbUser deletes the users with the given ids, all in one transaction. Ids come from
-TelegramId, or from the pipeline: PgUsers.User objects, objects with a TelegramId (or
telegram_id, Id) property, or bare ids. An id converts strictly: '2.5', '1e2' or '0x20' is never
read as another id; such a record ends the command before anything is removed
(PgUsers.InvalidUser), unless -SkipInvalid skips it with an error. Users they referred
are kept, with ReferrerId set to $null (the table's ON DELETE SET NULL). An id that does not
exist writes a non-terminating error of id PgUsers.UserNotFound. -Verbose says how many users
were removed and how many referred users lost their referrer.

Each user goes through -WhatIf and -Confirm. Removing more than one user also asks once for
the whole set, unless -Force or -Confirm (either way) is given. A host that cannot ask, such
as a scheduled job or CI, gets a terminating error of id PgUsers.ConfirmationRequired instead
of a silent bulk removal: pass -Force there.
'@
    Parameters  = @{
        TelegramId  = 'The ids of the users to remove: whole numbers (digits only in text).'
        InputObject = 'A user per pipeline object: a PgUsers.User, an object with a TelegramId, telegram_id or Id property, or an id itself.'
        SkipInvalid = 'Removes the users whose ids are valid and writes one non-terminating error for each invalid record, instead of removing nothing.'
        Force       = 'Removes several users without asking for the whole set.'
        PassThru    = 'Returns the removed users as they were.'
    }
    Inputs      = @(
        @{ Type = 'PgUsers.User'; Description = 'Users from Get-DbUser, or any object with a TelegramId or telegram_id property.' }
        @{ Type = 'System.Int64'; Description = 'User ids piped by value (whole numbers, or strings of digits).' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'Nothing by default.' }
        @{ Type = 'PgUsers.User'; Description = 'With -PassThru: the removed users.' }
    )
    Examples    = @(
        @{
            Title   = 'See first, then remove a user''s direct referrals'
            Code    = @'
Get-DbUser -ReferrerId 1 | Remove-DbUser -WhatIf
Get-DbUser -ReferrerId 1 | Remove-DbUser -Force -Verbose
'@
            Remarks = '-WhatIf lists the users that would go; the second line removes them without asking and says how many.'
        }
        @{
            Title   = 'Remove users listed in a file, keeping a backup'
            Code    = @'
Get-Content banned-ids.txt | Remove-DbUser -Force -PassThru |
    ConvertTo-Json | Set-Content removed-users.json
'@
            Remarks = 'Ids bind by value; the removed users are kept as JSON in case they must be restored.'
        }
    )
    Links       = @('Get-DbUser', 'Add-DbUser', 'Set-DbUser')
}
