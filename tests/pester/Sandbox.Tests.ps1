# Start-DbSandbox / Stop-DbSandbox as tests/PgUsers.Tests/SandboxTests.cs checks them. These
# start their own sandboxes, whatever PGUSERS_TEST_URL says: the sandbox is what is tested.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
    . "$PSScriptRoot/TestHelpers.ps1"
}

AfterAll {
    Get-DbEngine | Remove-DbEngine
    Stop-DbSandbox
}

Describe 'Start-DbSandbox' {
    It 'serves queries, and is deleted when stopped' {
        $sandbox = Start-DbSandbox
        $sandbox.IsRunning | Should -BeTrue
        $sandbox.Kind | Should -BeIn @('Local', 'Docker')
        "$($sandbox.Url)" | Should -BeLike 'postgresql://pgusers:`*`*`*@127.0.0.1:*'
        $engine = New-DbEngine $sandbox
        Invoke-DbQuery 'SELECT 1' -Scalar | Should -Be 1
        Remove-DbEngine $engine
        $folder = $sandbox.Directory
        Stop-DbSandbox $sandbox
        $sandbox.IsRunning | Should -BeFalse
        if ($folder) { Test-Path $folder | Should -BeFalse }
        $gone = New-DbEngine $sandbox.Url -PoolTimeout 5
        { Invoke-DbQuery 'SELECT 1' -Engine $gone } | Should -Throw -ErrorId 'PgUsers.ConnectionFailed,PgUsers.Commands.InvokeDbQueryCommand'
        Remove-DbEngine $gone
    }

    It 'is stopped when the module that started it is removed' {
        $running = 1 | ForEach-Object -Parallel {
            Import-Module $using:Manifest
            $sandbox = Start-DbSandbox
            Remove-Module PgUsers
            $sandbox.IsRunning
        }
        $running | Should -BeFalse
    }

    It 'says clearly when a folder has no server binaries' {
        $err = { Start-DbSandbox -BinDirectory /nonexistent } |
            Should -Throw -ErrorId 'PgUsers.SandboxFailed,PgUsers.Commands.StartDbSandboxCommand' -PassThru
        $err.Exception.Message | Should -Match '/nonexistent'
    }

    It 'stops with -WhatIf only in words' {
        $sandbox = Start-DbSandbox
        Stop-DbSandbox $sandbox -WhatIf
        $sandbox.IsRunning | Should -BeTrue
        Stop-DbSandbox $sandbox
        $sandbox.IsRunning | Should -BeFalse
    }
}
