# The quickstart (README) end to end, step by step as typed at the prompt and as the shipped script.
# (Tested here only; .ci/run also runs the script in the console host.)
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
    . "$PSScriptRoot/TestHelpers.ps1"
    $server = Start-TestServer
    $db = New-TestDatabase $server 'pester_quickstart'
}

AfterAll {
    Stop-TestServer $server
}

Describe 'The quickstart' {
    AfterEach { Remove-TestEngines }

    It 'works step by step' {
        $url = New-DbUrl -Drivername 'postgresql+psycopg2' -Username notebook -Password notebook `
                         -HostName postgres -Port 5432 -Database notebook
        $url.RenderAsString() | Should -Be 'postgresql+psycopg2://notebook:***@postgres:5432/notebook'
        $engine = New-DbEngine $db -PoolSize 10 -MaxOverflow 20 -PoolRecycle 3600
        Invoke-DbQuery 'DROP TABLE IF EXISTS users'
        Initialize-DbUserTable
        Invoke-DbQuery "INSERT INTO users (telegram_id, full_name, username, language_code, referrer_id) VALUES (1, 'John Doe', 'johndoe', 'en', NULL), (2, 'Jane Doe', 'janedoe', 'en', 1);"
        $rows = Invoke-DbQuery 'SELECT * FROM users ORDER BY telegram_id'
        $rows[0].PSObject.Properties.Name | Should -Be @('telegram_id', 'full_name', 'username', 'language_code', 'created_at', 'referrer_id')
        $rows[0].referrer_id | Should -BeNullOrEmpty
        $rows[1].referrer_id | Should -Be 1
        $users = Get-DbUser
        $users | ForEach-Object { $_ | Should -BeOfType [PgUsers.User] }
        $users.FullName | Should -Be @('John Doe', 'Jane Doe')
        $users[1].ReferrerId | Should -Be 1
        $users[0].CreatedAt | Should -BeOfType [datetime]
        $engine.CheckedOut | Should -Be 0
    }

    It 'ships as examples/Quickstart.ps1 and runs against PGUSERS_URL' {
        Invoke-DbQuery 'DROP TABLE IF EXISTS users' -Engine (New-DbEngine $db)
        $saved = $env:PGUSERS_URL
        $env:PGUSERS_URL = $db.RenderAsString($false)
        try {
            $text = & (Join-Path $PSScriptRoot '..' '..' 'out' 'PgUsers' 'examples' 'Quickstart.ps1') | Out-String -Width 200
        }
        finally {
            $env:PGUSERS_URL = $saved
        }
        $text | Should -Match ([regex]::Escape('postgresql+psycopg2://notebook:***@postgres:5432/notebook'))
        $check = New-DbEngine $db
        Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar -Engine $check | Should -Be 2
        Invoke-DbQuery "SELECT referrer_id FROM users WHERE full_name = 'Jane Doe'" -Scalar -Engine $check | Should -Be 1
    }
}
