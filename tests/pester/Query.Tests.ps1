# Invoke-DbQuery in a pipeline typed at the prompt. Rows, placeholders, errors and stopping early are
# tested once, in tests/PgUsers.Tests/Query*Tests.cs and StreamingTests.cs.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
    . "$PSScriptRoot/TestHelpers.ps1"
    $server = Start-TestServer
    $db = New-TestDatabase $server 'pester_query'
    $engine = New-DbEngine $db -PoolSize 1 -Name query
}

AfterAll {
    Stop-TestServer $server
}

Describe 'Invoke-DbQuery' {
    It 'rows pipe into Where-Object and ConvertTo-Json like any object' {
        $json = Invoke-DbQuery 'SELECT g AS n, g % 2 = 0 AS even FROM generate_series(1, 6) g' |
            Where-Object even | ConvertTo-Json -Compress
        ($json | ConvertFrom-Json).n | Should -Be @(2, 4, 6)
    }
}
