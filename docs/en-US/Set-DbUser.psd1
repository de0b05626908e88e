# Written ahead of the code, from DESIGN.md §2 "Users" and issue 3. Once the cmdlet is in the
# module its parameter facts come from the code and Planned is ignored: adjust the text then.
@{
    Name        = 'Set-DbUser'
    Synopsis    = 'Changes users of the users table: the columns you name, for the ids given or piped in.'
    Description = @'
Set-DbUser updates the users with the given TelegramId. Only the parameters you pass are
changed; the other columns keep their values. It binds TelegramId from the pipeline by
property name (TelegramId or telegram_id), so Get-DbUser -LanguageCode ru | Set-DbUser
-LanguageCode uk changes every Russian-speaking user at once. All the input of one call is
changed in one transaction; an id that does not exist is a non-terminating "not found" error.

Supports -WhatIf and -Confirm. -PassThru returns the changed users.
'@
    Parameters  = @{
        TelegramId   = 'The ids of the users to change. Binds from the pipeline by property name (TelegramId or telegram_id).'
        FullName     = 'The new full name.'
        Username     = 'The new @username without the @.'
        LanguageCode = 'The new language code, such as en.'
        ReferrerId   = 'The new referrer id; it must be an existing user.'
        PassThru     = 'Returns a PgUsers.User for each user changed.'
    }
    Planned     = @(
        @{ Name = 'TelegramId'; Type = 'System.Int64[]'; Required = $true; Position = 0; Pipeline = 'ByPropertyName'; Aliases = 'telegram_id' }
        @{ Name = 'FullName'; Type = 'System.String' }
        @{ Name = 'Username'; Type = 'System.String' }
        @{ Name = 'LanguageCode'; Type = 'System.String' }
        @{ Name = 'ReferrerId'; Type = 'System.Int64' }
        @{ Name = 'PassThru'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Engine'; Type = 'PgUsers.DbEngine' }
        @{ Name = 'Session'; Type = 'PgUsers.DbSession' }
        @{ Name = 'WhatIf'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Confirm'; Type = 'System.Management.Automation.SwitchParameter' }
    )
    Inputs      = @(
        @{ Type = 'PgUsers.User'; Description = 'Users from Get-DbUser, or any object with a TelegramId or telegram_id property.' }
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
Import-Csv corrections.csv | ForEach-Object {
    Set-DbUser -TelegramId $_.telegram_id -FullName $_.full_name
}
'@
            Remarks = 'Each call changes one user''s name and nothing else.'
        }
    )
    Links       = @('Get-DbUser', 'Add-DbUser', 'Remove-DbUser')
}
