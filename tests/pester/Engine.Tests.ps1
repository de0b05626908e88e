# New-DbEngine as a pwsh user sees it: its settings and the table view. The pool's behaviour
# (laziness, bounds, overflow, recycle, pre-ping, disposal) is tested once, in tests/PgUsers.Tests/EnginePoolTests.cs.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
    . "$PSScriptRoot/TestHelpers.ps1"
    $server = Start-TestServer
    $db = New-TestDatabase $server 'pester_engine'
}

AfterAll {
    Stop-TestServer $server
}

Describe 'New-DbEngine' {
    AfterEach { Remove-TestEngines }

    It 'shows its settings and its URL with the password masked' {
        $engine = New-DbEngine $db -PoolSize 7 -MaxOverflow 3 -PoolTimeout 12 -PoolRecycle 600 -PrePing -Name main
        $engine.Name | Should -Be 'main'
        $engine.PoolSize | Should -Be 7
        $engine.MaxOverflow | Should -Be 3
        $engine.PoolTimeout | Should -Be 12
        $engine.PoolRecycle | Should -Be 600
        $engine.PrePing | Should -BeTrue
        "$engine" | Should -BeLike 'Engine(postgresql://*:`*`*`*@*'
        $table = Get-DbEngine main | Format-Table | Out-String -Width 200
        $table | Should -Match 'CheckedOut'
        $table | Should -Match '7\+3'
    }
}
