# Written ahead of the code, from DESIGN.md §2 "Users" and issue 3. Once the cmdlet is in the
# module its parameter facts come from the code and Planned is ignored: adjust the text then.
@{
    Name        = 'Remove-DbUser'
    Synopsis    = 'Deletes users from the users table; the users they referred stay, with no referrer.'
    Description = @'
Remove-DbUser deletes the users with the given ids, in one transaction for all the input of
one call. Users they referred are kept, with ReferrerId set to $null (the table's ON DELETE
SET NULL). An id that does not exist is a non-terminating "not found" error.

It supports -WhatIf and -Confirm, and asks for confirmation by default when more than one user
would be removed. -Verbose says how many users were removed.
'@
    Parameters  = @{
        TelegramId = 'The ids of the users to remove. Binds from the pipeline by value and by property name (TelegramId, telegram_id or Id).'
        PassThru   = 'Returns the removed users as they were.'
    }
    Planned     = @(
        @{ Name = 'TelegramId'; Type = 'System.Int64[]'; Required = $true; Position = 0; Pipeline = 'ByPropertyName, ByValue'; Aliases = 'telegram_id, Id' }
        @{ Name = 'PassThru'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Engine'; Type = 'PgUsers.DbEngine' }
        @{ Name = 'Session'; Type = 'PgUsers.DbSession' }
        @{ Name = 'WhatIf'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Confirm'; Type = 'System.Management.Automation.SwitchParameter' }
    )
    Inputs      = @(
        @{ Type = 'PgUsers.User'; Description = 'Users from Get-DbUser, or any object with a TelegramId or telegram_id property.' }
        @{ Type = 'System.Int64'; Description = 'User ids piped by value.' }
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
Get-DbUser -ReferrerId 1 | Remove-DbUser -Confirm:$false -Verbose
'@
            Remarks = '-WhatIf lists the users that would go; the second line removes them without asking.'
        }
        @{
            Title   = 'Remove users listed in a file, keeping a backup'
            Code    = @'
Get-Content banned-ids.txt | Remove-DbUser -PassThru -Confirm:$false |
    ConvertTo-Json | Set-Content removed-users.json
'@
            Remarks = 'Ids bind by value; the removed users are kept as JSON in case they must be restored.'
        }
    )
    Links       = @('Get-DbUser', 'Add-DbUser', 'Set-DbUser')
}
