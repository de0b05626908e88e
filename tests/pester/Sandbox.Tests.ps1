# Stop-DbSandbox -WhatIf as a pwsh user types it. Starting, stopping and cleaning up are tested once,
# in tests/PgUsers.Tests/SandboxTests.cs and ContainerSandboxTests.cs. This starts its own sandbox,
# whatever PGUSERS_TEST_URL says: in a container of PGUSERS_TEST_IMAGE when set (tools/Invoke-PesterSuites.ps1 -Image).
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
        $sandbox = if ($env:PGUSERS_TEST_IMAGE) { Start-DbSandbox -Image $env:PGUSERS_TEST_IMAGE } else { Start-DbSandbox }
        Stop-DbSandbox $sandbox -WhatIf
        $sandbox.IsRunning | Should -BeTrue
        Stop-DbSandbox $sandbox
        $sandbox.IsRunning | Should -BeFalse
    }
}
