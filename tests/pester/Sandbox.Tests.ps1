# Stop-DbSandbox -WhatIf as a pwsh user types it. Starting, stopping and cleaning up are tested once,
# in tests/PgUsers.Tests/SandboxTests.cs. This starts its own sandbox, whatever PGUSERS_TEST_URL says.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
    . "$PSScriptRoot/TestHelpers.ps1"
}

AfterAll {
    Get-DbEngine | Remove-DbEngine
    Stop-DbSandbox
}

Describe 'Start-DbSandbox' {
    It 'stops with -WhatIf only in words' {
        $sandbox = Start-DbSandbox
        Stop-DbSandbox $sandbox -WhatIf
        $sandbox.IsRunning | Should -BeTrue
        Stop-DbSandbox $sandbox
        $sandbox.IsRunning | Should -BeFalse
    }
}
