# Get-DbUser and Initialize-DbUserTable as tests/PgUsers.Tests/GetDbUserTests.cs checks them.
# (Add-DbUser, Set-DbUser and Remove-DbUser have their own suite, Users.Tests.ps1.)
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
    . "$PSScriptRoot/TestHelpers.ps1"
    $server = Start-TestServer
    $db = New-TestDatabase $server 'pester_users'
    New-DbEngine $db -Name users | Out-Null
    Initialize-DbUserTable
    Invoke-DbQuery @'
INSERT INTO users (telegram_id, full_name, username, language_code, created_at, referrer_id) VALUES
  (1, 'John Doe',   'johndoe', 'en', '2024-01-01', NULL),
  (2, 'Jane Doe',   'janedoe', 'en', '2024-02-01', 1),
  (3, 'Ivan Petrov','ivan.p',  'ru', '2024-03-01', 1),
  (4, 'Olga',       NULL,      'RU', '2024-04-01', 3),
  (5, 'Anna 100%',  'anna_x',  'uk', '2024-05-01', 4),
  (6, 'Annaxbel',   'annaybel','uk', '2024-06-01', NULL)
'@
}

AfterAll {
    Stop-TestServer $server
}

Describe 'Get-DbUser' {
    It 'returns every user as a typed object, in id order' {
        $users = Get-DbUser
        $users.TelegramId | Should -Be @(1, 2, 3, 4, 5, 6)
        $users | ForEach-Object { $_.GetType().FullName } | Select-Object -Unique | Should -Be 'PgUsers.User'
        $olga = $users[3]
        $olga.Username | Should -BeNullOrEmpty
        $olga.LanguageCode | Should -Be 'RU'
        $olga.ReferrerId | Should -Be 3
        $olga.CreatedAt | Should -Be ([datetime]'2024-04-01')
        $users[0].ReferrerId | Should -BeNullOrEmpty
    }

    It 'finds users by id, from the pipeline by property name, and from CSV column names' {
        (Get-DbUser -TelegramId 3, 2).TelegramId | Should -Be @(2, 3)
        (Get-DbUser 5).TelegramId | Should -Be 5
        ([pscustomobject]@{ TelegramId = 1 }, [pscustomobject]@{ TelegramId = 4 } | Get-DbUser).TelegramId | Should -Be @(1, 4)
        ('telegram_id', '6' | ConvertFrom-Csv | Get-DbUser).TelegramId | Should -Be 6
    }

    It 'writes a non-terminating not-found error for a missing id' {
        $found = Get-DbUser -TelegramId 1, 999, 2 -ErrorVariable missing -ErrorAction SilentlyContinue
        $found.TelegramId | Should -Be @(1, 2)
        $missing | Should -HaveCount 1
        $missing[0].FullyQualifiedErrorId | Should -Be 'PgUsers.UserNotFound,PgUsers.Commands.GetDbUserCommand'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing[0].TargetObject | Should -Be 999
        { Get-DbUser 999 -ErrorAction Stop } | Should -Throw -ErrorId 'PgUsers.UserNotFound,PgUsers.Commands.GetDbUserCommand'
    }

    It 'matches -Username and -FullName as case-insensitive wildcards: <Pattern>' -ForEach @(
        @{ Parameter = 'Username'; Pattern = '*DOE'; Ids = @(1, 2) }
        @{ Parameter = 'FullName'; Pattern = '*doe'; Ids = @(1, 2) }
        @{ Parameter = 'Username'; Pattern = 'ivan.?'; Ids = @(3) }
        @{ Parameter = 'FullName'; Pattern = 'ann[a]*'; Ids = @(5, 6) }
        @{ Parameter = 'Username'; Pattern = 'j[o]hn*'; Ids = @(1) }
    ) {
        $filter = @{ $Parameter = $Pattern }
        (Get-DbUser @filter).TelegramId | Should -Be $Ids
    }

    It 'treats SQL and regex characters in patterns literally' {
        Get-DbUser -Username 'ivan_p' | Should -BeNullOrEmpty
        Get-DbUser -Username 'ivanxp' | Should -BeNullOrEmpty
        (Get-DbUser -Username 'ivan.p').TelegramId | Should -Be 3
        (Get-DbUser -FullName 'Anna 100%').TelegramId | Should -Be 5
        Get-DbUser -FullName 'Anna 1%' | Should -BeNullOrEmpty
        (Get-DbUser -Username 'anna`_x').TelegramId | Should -Be 5
        Get-DbUser -Username "'; DROP TABLE users; --" | Should -BeNullOrEmpty
        Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar | Should -Be 6
    }

    It 'filters by language, referrer and creation time' {
        (Get-DbUser -LanguageCode ru).TelegramId | Should -Be @(3, 4)
        (Get-DbUser -LanguageCode ru, UK).TelegramId | Should -Be @(3, 4, 5, 6)
        (Get-DbUser -ReferrerId 1).TelegramId | Should -Be @(2, 3)
        (Get-DbUser -CreatedAfter '2024-03-15').TelegramId | Should -Be @(4, 5, 6)
        (Get-DbUser -CreatedBefore '2024-02-15').TelegramId | Should -Be @(1, 2)
        (Get-DbUser -CreatedAfter '2024-02-15' -CreatedBefore '2024-03-15').TelegramId | Should -Be 3
        (Get-DbUser -ReferrerId 1 -LanguageCode ru).TelegramId | Should -Be 3
    }

    It 'walks the referral tree with -Recurse, with depth' {
        $tree = Get-DbUser -ReferrerId 1 -Recurse
        $tree.TelegramId | Should -Be @(2, 3, 4, 5)
        $tree.Depth | Should -Be @(1, 1, 2, 3)
        { Get-DbUser -Recurse } | Should -Throw -ErrorId 'PgUsers.RecurseNeedsReferrer,PgUsers.Commands.GetDbUserCommand'
    }

    It 'pages with -First, -Skip and -IncludeTotalCount' {
        (Get-DbUser -Skip 2 -First 2).TelegramId | Should -Be @(3, 4)
        $page = Get-DbUser -First 1 -IncludeTotalCount
        $page | Should -HaveCount 2
        $page[0] | Should -Be 6
    }

    It 'shows users in a table view' {
        $text = Get-DbUser -TelegramId 2 | Out-String -Width 200
        $text | Should -Match 'TelegramId\s+FullName\s+Username\s+LanguageCode\s+CreatedAt\s+ReferrerId'
        $text | Should -Match '2\s+Jane Doe\s+janedoe\s+en\s+2024-02-01 00:00:00\s+1'
    }

    It 'exports to CSV with the typed properties as columns' {
        $csv = Get-DbUser -LanguageCode en | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $csv.FullName | Should -Be @('John Doe', 'Jane Doe')
        $csv[1].ReferrerId | Should -Be '1'
    }
}

Describe 'Initialize-DbUserTable' {
    It 'is idempotent and indexes referrer_id' {
        Initialize-DbUserTable
        Initialize-DbUserTable
        Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar | Should -Be 6
        Invoke-DbQuery "SELECT count(*) FROM pg_indexes WHERE tablename = 'users' AND indexdef LIKE '%(referrer_id)%'" -Scalar | Should -Be 1
    }

    It 'changes nothing with -WhatIf' {
        Invoke-DbQuery 'ALTER TABLE users RENAME TO users_kept'
        try {
            Initialize-DbUserTable -WhatIf | Should -BeNullOrEmpty
            Invoke-DbQuery "SELECT to_regclass('users') IS NULL" -Scalar | Should -BeTrue
        }
        finally {
            Invoke-DbQuery 'ALTER TABLE users_kept RENAME TO users'
        }
    }
}
