@{
    Name        = 'Get-DbUser'
    Synopsis    = 'Gets users of the users table as typed objects: all, by id, or filtered by name, language, referrer or creation time.'
    Description = @'
Get-DbUser reads the users table (see Initialize-DbUserTable) and writes one PgUsers.User per
row, in TelegramId order, shown as a table. Users stream into the pipeline as they are read.

Without parameters it returns every user. -TelegramId returns the users with those ids and
writes a non-terminating error (id PgUsers.UserNotFound, category ObjectNotFound, the id as
target) for each id that does not exist, so -ErrorAction decides whether a missing id stops a
script. The filters -Username, -FullName (PowerShell wildcards, case-insensitive),
-LanguageCode (case-insensitive), -ReferrerId, -CreatedAfter and -CreatedBefore combine with
AND and are evaluated by the server; every value travels as a bound parameter, and SQL and
regular-expression characters in patterns (such as % _ .) match only themselves.

-ReferrerId with -Recurse walks the whole referral tree below a user: every user referred
directly (Depth 1), by them (Depth 2), and so on, ordered by depth; a referral cycle does not
loop. -First, -Skip and -IncludeTotalCount page through large tables on the server.
'@
    Parameters  = @{
        TelegramId   = @'
The ids of the users to get. Accepts pipeline input by value and by property name, including
from objects whose property is called telegram_id or Id (such as CSV rows). An id that does
not exist writes a PgUsers.UserNotFound error and the others are still returned.
'@
        Username     = 'Returns users whose username matches this pattern. Wildcards (* ? [a-z]) are allowed and matching ignores case. Users without a username never match.'
        FullName     = 'Returns users whose full name matches this pattern. Wildcards (* ? [a-z]) are allowed and matching ignores case.'
        LanguageCode = 'Returns users with any of these language codes, such as en or ru, ignoring case.'
        ReferrerId   = 'Returns the users referred directly by this user id. With -Recurse, the whole referral tree below it.'
        Recurse      = @'
With -ReferrerId: returns every user in the referral tree below that user, each with its Depth
(1 = referred directly), ordered by Depth then TelegramId. Without -ReferrerId it is an error
of id PgUsers.RecurseNeedsReferrer.
'@
        CreatedAfter  = 'Returns users created strictly after this time (compared with created_at, the server''s local time).'
        CreatedBefore = 'Returns users created strictly before this time (compared with created_at, the server''s local time).'
    }
    Inputs      = @(
        @{ Type = 'System.Int64[]'; Description = 'User ids, piped by value or by the property name TelegramId, telegram_id or Id.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.User'; Description = @'
TelegramId, FullName, Username, LanguageCode, CreatedAt and ReferrerId: the table's columns, so
Export-Csv writes a file that Import-DbCsv and Add-DbUser load back. With -Recurse each also
carries Depth (a note property). With -IncludeTotalCount a UInt64 total comes first.
'@ }
    )
    Examples    = @(
        @{
            Title   = 'All users in a table'
            Code    = @'
Get-DbUser
'@
            Output  = @'
TelegramId FullName Username LanguageCode CreatedAt           ReferrerId
---------- -------- -------- ------------ ---------           ----------
         1 John Doe johndoe  en           2024-01-01 00:00:00
         2 Jane Doe janedoe  en           2024-02-01 00:00:00          1
'@
            Remarks = 'The quickstart''s two users, in TelegramId order.'
        }
        @{
            Title   = 'Filter on the server, then export'
            Code    = @'
Get-DbUser -LanguageCode ru, uk -Username '*bot*' -CreatedAfter (Get-Date).AddMonths(-1) |
    Select-Object TelegramId, Username, CreatedAt |
    Export-Csv recent-bots.csv -NoTypeInformation
'@
            Remarks = @'
Users created in the last month, speaking Russian or Ukrainian, whose username contains "bot"
in any case. The filtering happens in PostgreSQL; only matching users are read.
'@
        }
        @{
            Title   = 'Look up ids from a CSV file and report the missing ones'
            Code    = @'
Import-Csv payouts.csv | Get-DbUser -ErrorAction SilentlyContinue -ErrorVariable missing |
    ConvertTo-Json
$missing | ForEach-Object { "No user $($_.TargetObject)" }
'@
            Remarks = @'
The CSV's telegram_id column binds to -TelegramId by property name. Ids that do not exist
are collected in $missing as PgUsers.UserNotFound errors instead of being shown.
'@
        }
        @{
            Title   = 'The referral tree below a user'
            Code    = @'
Get-DbUser -ReferrerId 1 -Recurse | Group-Object Depth | ForEach-Object { "level $($_.Name): $($_.Count) users" }
'@
            Remarks = 'Everyone referred by user 1, directly or through others, counted per level.'
        }
        @{
            Title   = 'Page through a large table'
            Code    = @'
$page = Get-DbUser -First 100 -Skip 200 -IncludeTotalCount
"showing 201-300 of $($page[0])"
$page | Select-Object -Skip 1 | Format-Table
'@
            Remarks = 'LIMIT and OFFSET run on the server; -IncludeTotalCount writes the total first.'
        }
    )
    Links       = @('Initialize-DbUserTable', 'Add-DbUser', 'Set-DbUser', 'Remove-DbUser', 'Invoke-DbQuery')
}
