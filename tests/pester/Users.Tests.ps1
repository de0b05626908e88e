#Requires -Modules Pester
# Add-DbUser, Set-DbUser, Remove-DbUser and the referral tree.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'PgUsers' 'PgUsers.psd1') -Force
    $script:sandbox = Start-DbSandbox
    $script:engine = New-DbEngine $sandbox.Url -PoolSize 2
    $script:csv = @'
telegram_id,full_name,username,language_code,created_at,referrer_id
1,John Doe,johndoe,en,,
3,Ann Lee,,ru,,2
2,Jane Doe,janedoe,ru,2024-01-02 03:04:05,1
'@

    function Get-Fingerprint {
        Invoke-DbQuery "SELECT count(*) || ':' || coalesce(md5(string_agg(u::text, '|' ORDER BY telegram_id)), '') FROM users u" -Scalar
    }
}

AfterAll {
    Remove-DbEngine $engine
    Stop-DbSandbox $sandbox
}

Describe 'Users' {
    BeforeEach {
        Invoke-DbQuery 'DROP TABLE IF EXISTS users'
        Initialize-DbUserTable
    }

    AfterEach {
        $engine.CheckedOut | Should -Be 0
    }

    Context 'Add-DbUser' {
        It 'binds CSV columns by name, accepts a referrer that comes later and returns stored users' {
            $users = $csv | ConvertFrom-Csv | Add-DbUser -PassThru
            $users.TelegramId | Should -Be @(1, 3, 2)
            $users[0].CreatedAt | Should -BeNullOrEmpty    # an empty cell is NULL
            $users[1].ReferrerId | Should -Be 2
        }

        It 'names a repeated id and adds nothing' {
            Add-DbUser 1 'Existing' -LanguageCode en
            $before = Get-Fingerprint
            { $csv | ConvertFrom-Csv | Add-DbUser -ErrorAction Stop } | Should -Throw '*telegram_id 1 already exists*'
            { 7, 7 | ForEach-Object { [pscustomobject]@{ telegram_id = $_; full_name = 'x'; language_code = 'en' } } | Add-DbUser } |
                Should -Throw -ErrorId 'PgUsers.DuplicateUser*'
            Get-Fingerprint | Should -Be $before
        }

        It 'skips or updates stored users with -OnConflict' {
            Add-DbUser 1 'Old' -LanguageCode fr
            $csv | ConvertFrom-Csv | Add-DbUser -OnConflict Skip
            (Get-DbUser 1).FullName | Should -Be 'Old'
            $csv | ConvertFrom-Csv | Add-DbUser -OnConflict Update
            (Get-DbUser 1).FullName | Should -Be 'John Doe'
        }

        It 'adds nothing when one record is invalid, and skips it with an error under -SkipInvalid' {
            $rows = @'
telegram_id,full_name,language_code
1,One,en
2,,en
'@ | ConvertFrom-Csv
            { $rows | Add-DbUser } | Should -Throw -ErrorId 'PgUsers.InvalidUser*'
            Get-DbUser | Should -BeNullOrEmpty
            $rows | Add-DbUser -SkipInvalid -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PgUsers.InvalidUser*'
            (Get-DbUser).TelegramId | Should -Be @(1)
        }

        It 'loads 100,000 users in one call with progress' {
            $path = Join-Path ([IO.Path]::GetTempPath()) "pgusers-$([guid]::NewGuid()).csv"
            1..100000 | ForEach-Object { [pscustomobject]@{ telegram_id = $_; full_name = "User $_"; language_code = 'en'; referrer_id = if ($_ -lt 100000) { $_ + 1 } } } |
                Export-Csv $path
            try {
                Import-Csv $path | Add-DbUser
                Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar | Should -Be 100000
            }
            finally { Remove-Item $path }
        }

        It 'leaves no trace in a session that throws, and is durable in one that does not' {
            $before = Get-Fingerprint
            { Use-DbSession { Add-DbUser 10 'Ten' -LanguageCode en; Set-DbUser 10 -FullName 'X'; throw 'x' } } | Should -Throw 'x'
            Get-Fingerprint | Should -Be $before
            Use-DbSession { Add-DbUser 10 'Ten' -LanguageCode en; Set-DbUser 10 -FullName 'X' }
            (Get-DbUser 10).FullName | Should -Be 'X'
        }
    }

    Context 'Set-DbUser and Remove-DbUser' {
        BeforeEach { $csv | ConvertFrom-Csv | Add-DbUser }

        It 'changes only what Get-DbUser selected' {
            Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode uk
            (Get-DbUser -LanguageCode uk).TelegramId | Should -Be @(2, 3)
            (Get-DbUser 1).LanguageCode | Should -Be 'en'
        }

        It 'works inside a session while the upstream read holds the connection' {
            Use-DbSession { Get-DbUser -LanguageCode ru | Set-DbUser -LanguageCode uk }
            (Get-DbUser -LanguageCode uk).Count | Should -Be 2
        }

        It 'reads each record''s own columns, and the last change of a user wins' {
            [pscustomobject]@{ telegram_id = 1; language_code = 'de' },
            [pscustomobject]@{ telegram_id = 1; username = 'first' },
            [pscustomobject]@{ telegram_id = 1; username = 'second' } | Set-DbUser
            $user = Get-DbUser 1
            $user.LanguageCode | Should -Be 'de'
            $user.Username | Should -Be 'second'
        }

        It 'keeps referred users with no referrer and says how many it removed' {
            $verbose = Remove-DbUser 1 -Verbose 4>&1
            "$verbose" | Should -BeLike '*Removed 1 users*'
            (Get-DbUser 2).ReferrerId | Should -BeNullOrEmpty
        }

        It 'changes nothing with -WhatIf and asks before removing several users' {
            Get-DbUser -ReferrerId 1 | Remove-DbUser -WhatIf
            (Get-DbUser).Count | Should -Be 3
            Get-DbUser | Remove-DbUser -Force
            (Get-DbUser).Count | Should -Be 0
        }
    }

    Context 'Get-DbUser -Recurse' {
        It 'walks the referral tree with depth and stops at a cycle' {
            $csv | ConvertFrom-Csv | Add-DbUser
            $tree = Get-DbUser -ReferrerId 1 -Recurse
            $tree.TelegramId | Should -Be @(2, 3)
            $tree.Depth | Should -Be @(1, 2)
            Set-DbUser 1 -ReferrerId 3
            # 1 -> 2 -> 3 -> 1: the walk stops where it comes back to the root.
            (Get-DbUser -ReferrerId 1 -Recurse).TelegramId | Should -Be @(2, 3)
            (Get-DbUser -ReferrerId 2 -Recurse).Depth | Should -Be @(1, 2)
        }
    }
}
