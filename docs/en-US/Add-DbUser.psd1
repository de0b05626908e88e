# Written ahead of the code, from DESIGN.md §2 "Users" and issue 3. Once the cmdlet is in the
# module its parameter facts come from the code and Planned is ignored: adjust the text then.
@{
    Name        = 'Add-DbUser'
    Synopsis    = 'Adds users to the users table, one or millions, from parameters or the pipeline, in one transaction.'
    Description = @'
Add-DbUser inserts users into the users table (see Initialize-DbUserTable). It binds from the
pipeline by property name, and each parameter also answers to the table's column name, so
Import-Csv users.csv | Add-DbUser works with a CSV whose header is telegram_id, full_name,
username, language_code, referrer_id.

All the input of one call is loaded in one transaction, in batches, with PostgreSQL's binary
COPY, and a progress bar shows how far a large load has come. Either every user is added or,
on any error, none is. A referrer that appears later in the same input is fine.

A TelegramId that already exists, or appears twice in the input, is an error that names the
id, and nothing is added. With -OnConflict Skip such users are left as they are; with
-OnConflict Update their other columns are overwritten (an upsert).

Supports -WhatIf and -Confirm. -PassThru returns the stored users, with server defaults such
as CreatedAt filled in.
'@
    Parameters  = @{
        TelegramId   = 'The Telegram user id, the table''s primary key. Binds from a property named TelegramId or telegram_id.'
        FullName     = 'The user''s full name (required, up to 255 characters). Binds from FullName or full_name.'
        Username     = 'The @username without the @, or nothing. Binds from Username or username.'
        LanguageCode = 'The IETF language code, such as en (required). Binds from LanguageCode or language_code.'
        ReferrerId   = 'The id of the user who referred this one, or nothing. It must exist, in the table or earlier or later in the same input.'
        CreatedAt    = 'When the user was created; when omitted the server''s NOW() is used. Binds from CreatedAt or created_at.'
        OnConflict   = @'
What to do when a TelegramId already exists: Error (the default) stops and adds nothing; Skip
leaves the existing user as it is; Update overwrites its other columns.
'@
        PassThru     = 'Returns a PgUsers.User for each user stored.'
    }
    Planned     = @(
        @{ Name = 'TelegramId'; Type = 'System.Int64'; Required = $true; Pipeline = 'ByPropertyName'; Aliases = 'telegram_id' }
        @{ Name = 'FullName'; Type = 'System.String'; Required = $true; Pipeline = 'ByPropertyName'; Aliases = 'full_name' }
        @{ Name = 'Username'; Type = 'System.String'; Pipeline = 'ByPropertyName' }
        @{ Name = 'LanguageCode'; Type = 'System.String'; Required = $true; Pipeline = 'ByPropertyName'; Aliases = 'language_code' }
        @{ Name = 'ReferrerId'; Type = 'System.Int64'; Pipeline = 'ByPropertyName'; Aliases = 'referrer_id' }
        @{ Name = 'CreatedAt'; Type = 'System.DateTime'; Pipeline = 'ByPropertyName'; Aliases = 'created_at' }
        @{ Name = 'OnConflict'; Type = 'System.String'; Default = 'Error' }
        @{ Name = 'PassThru'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Engine'; Type = 'PgUsers.DbEngine' }
        @{ Name = 'Session'; Type = 'PgUsers.DbSession' }
        @{ Name = 'WhatIf'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'Confirm'; Type = 'System.Management.Automation.SwitchParameter' }
    )
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with the user''s properties (PascalCase or column names), such as Import-Csv rows or PgUsers.User objects.' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'Nothing by default.' }
        @{ Type = 'PgUsers.User'; Description = 'With -PassThru: the users as stored.' }
    )
    Examples    = @(
        @{
            Title   = 'Add one user'
            Code    = @'
Add-DbUser -TelegramId 3 -FullName 'Ivan Petrov' -Username ivan_p -LanguageCode ru -ReferrerId 1 -PassThru
'@
            Remarks = '-PassThru shows the stored row, with CreatedAt set by the server.'
        }
        @{
            Title   = 'Load a CSV file, skipping users that are already there'
            Code    = @'
Import-Csv users.csv | Add-DbUser -OnConflict Skip -Verbose
'@
            Remarks = @'
The CSV columns telegram_id, full_name, username, language_code and referrer_id bind by name.
A million rows load in one transaction with binary COPY, with a progress bar.
'@
        }
        @{
            Title   = 'Copy users between databases'
            Code    = @'
$from = New-DbEngine 'postgresql://app@old-db/bot'
$to   = New-DbEngine 'postgresql://app@new-db/bot'
Get-DbUser -Engine $from | Add-DbUser -Engine $to -OnConflict Update
'@
            Remarks = 'PgUsers.User objects bind by property name; users stream from one server into the other.'
        }
    )
    Links       = @('Get-DbUser', 'Set-DbUser', 'Remove-DbUser', 'Initialize-DbUserTable', 'Use-DbSession')
}
