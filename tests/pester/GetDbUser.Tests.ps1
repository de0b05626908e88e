# Get-DbUser's table view, as a pwsh user sees it. Its filters, paging, errors and the referral tree
# are tested once, in tests/PgUsers.Tests/GetDbUserTests.cs (and Add/Set/Remove-DbUser in UserChangeTests.cs).
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
  (2, 'Jane Doe',   'janedoe', 'en', '2024-02-01', 1)
'@
}

AfterAll {
    Stop-TestServer $server
}

Describe 'Get-DbUser' {
    It 'shows users in a table view' {
        $text = Get-DbUser -TelegramId 2 | Out-String -Width 200
        $text | Should -Match 'TelegramId\s+FullName\s+Username\s+LanguageCode\s+CreatedAt\s+ReferrerId'
        $text | Should -Match '2\s+Jane Doe\s+janedoe\s+en\s+2024-02-01 00:00:00\s+1'
    }
}
