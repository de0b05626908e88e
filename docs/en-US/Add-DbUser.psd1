# Written from branch users (AddDbUserCommand.cs, UserChangeCmdlet.cs). Once the cmdlet is in
# the module its parameter facts come from the code and Planned is ignored.
@{
    Name        = 'Add-DbUser'
    Synopsis    = 'Adds users to the users table, one or millions, from parameters or the pipeline, in one transaction.'
    Description = @'
Add-DbUser inserts users into the users table (see Initialize-DbUserTable). Every parameter
binds from the pipeline by property name and also answers to the table's column name, so
Import-Csv users.csv | Add-DbUser works with a CSV whose header is telegram_id, full_name,
username, language_code, created_at, referrer_id. An empty CSV cell means "no value" (NULL,
or the server's default for created_at), never 0 or an empty string.

All the input of one call is loaded with PostgreSQL's binary COPY, in batches of 10,000, inside
one transaction, and a progress bar reports every 10,000 users read. A referrer that appears
later in the same input is fine. Inside a session (-Session or Use-DbSession) the load is part
of the session's transaction instead.

Duplicates stop the whole load and add nothing: an id repeated in the input, or one already in
the table, is a terminating error of id PgUsers.DuplicateUser that names the id. With
-OnConflict Skip the stored user (or the first of repeated input ids) is kept; with
-OnConflict Update it is overwritten (an upsert; the last of repeated input ids wins).

An input object without a full name or language code (both NOT NULL), or with a text longer
than 255 characters, is not added: it writes a non-terminating error of id PgUsers.InvalidUser
and the other users are still added. Use -ErrorAction Stop to make such a record stop the load
instead.

Supports -WhatIf and -Confirm (one question per user). -PassThru returns the stored users, with
server defaults such as CreatedAt filled in. -Verbose says how many users were added, updated
or skipped.
'@
    Parameters  = @{
        TelegramId   = 'The Telegram user id, the table''s primary key. Binds from a property named TelegramId, telegram_id or Id.'
        FullName     = 'The user''s full name, up to 255 characters. Needed: a user without one is not added (PgUsers.InvalidUser). Binds from FullName or full_name.'
        Username     = 'The @username without the @, up to 255 characters; empty means none. Binds from Username or username.'
        LanguageCode = 'The IETF language code, such as en. Needed: a user without one is not added (PgUsers.InvalidUser). Binds from LanguageCode or language_code.'
        ReferrerId   = 'The id of the user who referred this one; empty means none. It must exist in the table or anywhere in the same input. Binds from ReferrerId or referrer_id.'
        CreatedAt    = 'When the user was created; empty means the server''s NOW(). Binds from CreatedAt or created_at.'
        OnConflict   = @'
What to do when a TelegramId is already taken, in the table or earlier in the input: Error
(stop, add nothing), Skip (keep the stored user; the first of repeated input ids wins) or
Update (overwrite it; the last of repeated input ids wins).
'@
        PassThru     = 'Returns a PgUsers.User for each user stored, as the server stored it.'
    }
    Planned     = @(
        @{ Name = 'TelegramId'; Type = 'System.Int64'; Required = $true; Position = 0; Pipeline = 'ByPropertyName'; Aliases = 'telegram_id, Id' }
        @{ Name = 'FullName'; Type = 'System.String'; Position = 1; Pipeline = 'ByPropertyName'; Aliases = 'full_name' }
        @{ Name = 'Username'; Type = 'System.String'; Pipeline = 'ByPropertyName' }
        @{ Name = 'LanguageCode'; Type = 'System.String'; Pipeline = 'ByPropertyName'; Aliases = 'language_code' }
        @{ Name = 'CreatedAt'; Type = 'System.DateTime'; Pipeline = 'ByPropertyName'; Aliases = 'created_at' }
        @{ Name = 'ReferrerId'; Type = 'System.Int64'; Pipeline = 'ByPropertyName'; Aliases = 'referrer_id' }
        @{ Name = 'PassThru'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'OnConflict'; Type = 'PgUsers.UserConflictAction'; Default = 'Error' }
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
Add-DbUser 3 'Ivan Petrov' -Username ivan_p -LanguageCode ru -ReferrerId 1 -PassThru
'@
            Remarks = 'TelegramId and FullName can be given by position. -PassThru shows the stored row, with CreatedAt set by the server.'
        }
        @{
            Title   = 'Load a CSV file, skipping users that are already there'
            Code    = @'
Import-Csv users.csv | Add-DbUser -OnConflict Skip -Verbose
'@
            Remarks = @'
The CSV columns telegram_id, full_name, username, language_code, created_at and referrer_id
bind by name. A million rows load in one transaction with binary COPY, with a progress bar;
users already in the table are left as they are.
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
