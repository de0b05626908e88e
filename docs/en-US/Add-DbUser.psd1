@{
    Name        = 'Add-DbUser'
    Synopsis    = 'Adds users to the users table, one or millions, from parameters or the pipeline, in one transaction.'
    Description = @'
Add-DbUser inserts users into the users table (see Initialize-DbUserTable), one per pipeline
object, or one from the named parameters when nothing is piped.

How input binds. Add-DbUser reads each piped object itself (-InputObject): PgUsers.User
objects, hashtables, PSCustomObjects and Import-Csv rows all work, with the PowerShell names
(TelegramId, FullName, Username, LanguageCode, CreatedAt, ReferrerId) or the column names
(telegram_id, full_name, ...), in any case; Id also names the key. Properties the table does
not know are ignored. Named column parameters given beside piped input apply to every record
and win over its properties (Import-Csv users.csv | Add-DbUser -LanguageCode en).

Values convert strictly, never by guessing: an id or referrer takes whole numbers only
('42', not '2.5', '1e2', '0x20' or 2^64); CreatedAt takes a DateTime or text that parses as a
date and time; a text may hold at most 255 characters, counted as PostgreSQL counts them (an
emoji is one). $null or an empty CSV cell means NULL, so an empty full_name or language_code
(NOT NULL) is an error; a column the object does not carry gets the column's default (CreatedAt:
the transaction's NOW(); the others NULL).

A load is one unit. All the input of one call goes to the server in one binary COPY, fed while
the pipeline runs, inside one transaction, with a progress bar every 10,000 users; a referrer
may come later in the same input. Any invalid record, a repeated id, an id already in the
table or a server error ends the command with a terminating error that names the input record
(its position in the pipeline, counted from 1), the column and the value, and nothing of the
load lands. -SkipInvalid is the explicit way to load the valid records instead: each invalid or
repeated record then writes one non-terminating error (PgUsers.InvalidUser,
PgUsers.DuplicateUser) and is left out. Inside a session (-Session or Use-DbSession) the load is
part of the session's transaction.

With -OnConflict Skip a stored user (or the first of repeated input ids) is kept; with
-OnConflict Update it is overwritten (an upsert: the columns its record gives change, the
others keep their values; the last of repeated input ids wins).

Supports -WhatIf and -Confirm (one question per user). -PassThru returns the stored users, with
server defaults such as CreatedAt filled in. -Verbose says how many users were added, updated
or skipped.
'@
    Parameters  = @{
        InputObject  = 'A user per pipeline object: a PgUsers.User, a hashtable, a PSCustomObject or an Import-Csv row, with PowerShell or column property names. Its values convert strictly; see the description.'
        TelegramId   = 'The Telegram user id, the table''s primary key: a whole number (digits only in text). With piped input it applies to every record.'
        FullName     = 'The user''s full name, up to 255 characters. Needed (the column is NOT NULL).'
        Username     = 'The @username without the @, up to 255 characters; empty means none (NULL).'
        LanguageCode = 'The IETF language code, such as en. Needed (the column is NOT NULL).'
        ReferrerId   = 'The id of the user who referred this one; empty means none. It must exist in the table or anywhere in the same input.'
        CreatedAt    = 'When the user was created; empty means NULL. Not given, the server''s NOW() (the column default).'
        OnConflict   = @'
What to do when a TelegramId is already taken, in the table or earlier in the input: Error
(stop, add nothing), Skip (keep the stored user; the first of repeated input ids wins) or
Update (overwrite the columns the record gives; the last of repeated input ids wins).
'@
        SkipInvalid  = 'Loads the valid records and writes one non-terminating error for each invalid or repeated one, instead of failing the whole load.'
        PassThru     = 'Returns a PgUsers.User for each user stored, as the server stored it.'
    }
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
users already in the table are left as they are. A cell that does not convert (an id of 'x')
stops the load and names the record and column; nothing lands.
'@
        }
        @{
            Title   = 'Copy users between databases'
            Code    = @'
$from = New-DbEngine 'postgresql://app@old-db/bot'
$to   = New-DbEngine 'postgresql://app@new-db/bot'
Get-DbUser -Engine $from | Add-DbUser -Engine $to -OnConflict Update
'@
            Remarks = 'PgUsers.User objects bind directly; users stream from one server into the other.'
        }
        @{
            Title   = 'Load what is valid, and keep a list of what is not'
            Code    = @'
Import-Csv users.csv | Add-DbUser -SkipInvalid -ErrorVariable bad -ErrorAction SilentlyContinue
$bad | ForEach-Object { $_.Exception.Message }   # Input record 17 is not valid: referrer_id 'x' is not a whole number ...
'@
            Remarks = 'Without -SkipInvalid the first invalid record stops the load and nothing is added.'
        }
    )
    Links       = @('Get-DbUser', 'Set-DbUser', 'Remove-DbUser', 'Initialize-DbUserTable', 'Use-DbSession')
}
