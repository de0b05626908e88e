@{
    Name        = 'Initialize-DbUserTable'
    Synopsis    = 'Creates the users table and its referrer index when they do not exist yet.'
    Description = @'
Initialize-DbUserTable creates the table that Get-DbUser, Add-DbUser, Set-DbUser and
Remove-DbUser work on, and an index on referrer_id. It is idempotent: running it again, on a
table that exists and has rows, changes nothing. Both run in one transaction.

The table:

CREATE TABLE users(telegram_id BIGINT PRIMARY KEY, full_name VARCHAR(255) NOT NULL, username
VARCHAR(255), language_code VARCHAR(255) NOT NULL, created_at TIMESTAMP DEFAULT NOW(),
referrer_id BIGINT REFERENCES users (telegram_id) ON DELETE SET NULL), with the index
users_referrer_id_idx on referrer_id.

The index matters: without it, every deleted user makes PostgreSQL scan the whole table for
users it referred (to set their referrer_id to NULL), and removing users from a table of a
million stalls.

The table is created in the schema first on the connection's search_path (normally public).
An existing table named users is not checked or changed, even if its columns differ.
'@
    Parameters  = @{}
    Inputs      = @(
        @{ Type = 'None'; Description = 'Initialize-DbUserTable takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'Nothing. -Verbose confirms that the table and index are in place.' }
    )
    Examples    = @(
        @{
            Title   = 'Prepare a database for the user cmdlets'
            Code    = @'
New-DbEngine 'postgresql://bot@db.example.com/bot' | Out-Null
Initialize-DbUserTable -Verbose
Get-DbUser | Measure-Object
'@
            Output  = @'
VERBOSE: users table and users_referrer_id_idx are in place.
'@
            Remarks = 'Safe to run at the start of every script or deployment.'
        }
        @{
            Title   = 'Check first, then create it in a test database'
            Code    = @'
Initialize-DbUserTable -WhatIf
$sandbox = Start-DbSandbox
Initialize-DbUserTable -Engine (New-DbEngine $sandbox)
'@
            Remarks = @'
-WhatIf says what would be created without touching the server. The second command creates
the table in a throwaway sandbox server through an engine made for it.
'@
        }
    )
    Links       = @('Get-DbUser', 'Add-DbUser', 'Invoke-DbQuery')
}
