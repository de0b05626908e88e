# New-DbEngine as tests/PgUsers.Tests/EnginePoolTests.cs checks it: laziness, the hard bound,
# the QueuePool error, overflow drain, recycle, pre-ping, disposal, runspace scope.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
    . "$PSScriptRoot/TestHelpers.ps1"
    $server = Start-TestServer
    $db = New-TestDatabase $server 'pester_engine'

    function Get-AppUrl([string] $App) { New-DbUrl -Url $db -Query @{ application_name = $App } }
}

AfterAll {
    Stop-TestServer $server
}

Describe 'New-DbEngine' {
    AfterEach { Remove-TestEngines }

    It 'opens nothing until the first query' {
        $engine = New-DbEngine (Get-AppUrl 'lazy') -PoolSize 3
        Get-ConnectionCount 'lazy' | Should -Be 0
        $engine.Size | Should -Be 0
        Invoke-DbQuery 'SELECT 1' -Scalar | Should -Be 1
        Get-ConnectionCount 'lazy' | Should -Be 1
        $engine.Size | Should -Be 1
        $engine.CheckedOut | Should -Be 0
        $engine.Idle | Should -Be 1
    }

    It 'makes the caller beyond PoolSize + MaxOverflow wait PoolTimeout, then fail with the QueuePool error' {
        $engine = New-DbEngine (Get-AppUrl 'bound') -PoolSize 2 -MaxOverflow 1 -PoolTimeout 1.5
        $holders = 1..3 | ForEach-Object -AsJob -ThrottleLimit 3 -Parallel {
            Import-Module $using:Manifest
            Invoke-DbQuery 'SELECT pg_sleep(4)' -Engine $using:engine
        }
        try {
            Wait-Until { (Get-ConnectionCount 'bound') -eq 3 } | Should -BeTrue
            $engine.CheckedOut | Should -Be 3
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $err = { Invoke-DbQuery 'SELECT 1' -Scalar -Engine $engine } |
                Should -Throw -ErrorId 'PgUsers.PoolTimeout,PgUsers.Commands.InvokeDbQueryCommand' -PassThru
            $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 1.4
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err.Exception.Message | Should -Match 'QueuePool limit of size 2 overflow 1 reached, connection timed out, timeout 1\.50'
            Get-ConnectionCount 'bound' | Should -BeLessOrEqual 3
        }
        finally {
            $holders | Wait-Job | Remove-Job
        }
        $engine.CheckedOut | Should -Be 0
    }

    It 'closes overflow connections soon after they are returned' {
        $engine = New-DbEngine (Get-AppUrl 'drain') -PoolSize 1 -MaxOverflow 3
        $holders = 1..4 | ForEach-Object -AsJob -ThrottleLimit 4 -Parallel {
            Import-Module $using:Manifest
            Invoke-DbQuery 'SELECT pg_sleep(1)' -Engine $using:engine
        }
        Wait-Until { (Get-ConnectionCount 'drain') -eq 4 } | Should -BeTrue
        $holders | Wait-Job | Remove-Job
        Wait-Until { (Get-ConnectionCount 'drain') -le 1 } -Seconds 10 | Should -BeTrue
        Wait-Until { $engine.Size -le 1 } -Seconds 5 | Should -BeTrue
        $engine.Overflow | Should -Be 0
    }

    It 'replaces a connection older than PoolRecycle, and -1 never does' {
        $recycled = New-DbEngine $db -PoolRecycle 1 -PoolSize 1
        $kept = New-DbEngine $db -PoolSize 1
        $first = Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $recycled
        $firstKept = Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $kept
        Start-Sleep -Milliseconds 2500
        Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $recycled | Should -Not -Be $first
        Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar -Engine $kept | Should -Be $firstKept
        $kept.PoolRecycle | Should -Be -1
    }

    It 'with -PrePing replaces a killed backend invisibly' {
        $engine = New-DbEngine (Get-AppUrl 'preping') -PrePing -PoolSize 2
        $backend = Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar
        Invoke-AdminQuery 'SELECT pg_terminate_backend(@pid)' @{ pid = $backend } | Out-Null
        Wait-Until { (Get-ConnectionCount 'preping') -eq 0 } -Seconds 5 | Should -BeTrue
        Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar | Should -Not -Be $backend
        $engine.CheckedOut | Should -Be 0
    }

    It 'without -PrePing reports a killed backend once, then recovers' {
        $engine = New-DbEngine (Get-AppUrl 'noping') -PoolSize 1
        $backend = Invoke-DbQuery 'SELECT pg_backend_pid()' -Scalar
        Invoke-AdminQuery 'SELECT pg_terminate_backend(@pid)' @{ pid = $backend } | Out-Null
        Wait-Until { (Get-ConnectionCount 'noping') -eq 0 } -Seconds 5 | Should -BeTrue
        $err = { Invoke-DbQuery 'SELECT 1' -Scalar } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'PgUsers.*'
        Invoke-DbQuery 'SELECT 1' -Scalar | Should -Be 1
        $engine.CheckedOut | Should -Be 0
    }

    It 'closes its connections on Remove-DbEngine, and a removed engine is a clear error' {
        $engine = New-DbEngine (Get-AppUrl 'removed')
        Invoke-DbQuery 'SELECT 1' | Out-Null
        Get-ConnectionCount 'removed' | Should -Be 1
        Remove-DbEngine $engine
        Wait-Until { (Get-ConnectionCount 'removed') -eq 0 } -Seconds 5 | Should -BeTrue
        $engine.IsDisposed | Should -BeTrue
        { Invoke-DbQuery 'SELECT 1' -Engine $engine } |
            Should -Throw -ErrorId 'PgUsers.EngineDisposed,PgUsers.Commands.InvokeDbQueryCommand'
    }

    It 'belongs to the runspace that made it: another runspace has no default engine' {
        New-DbEngine $db | Out-Null
        $id = 1 | ForEach-Object -Parallel {
            Import-Module $using:Manifest
            try { Invoke-DbQuery 'SELECT 1' } catch { $_.FullyQualifiedErrorId }
        }
        $id | Should -Be 'PgUsers.NoEngine,PgUsers.Commands.InvokeDbQueryCommand'
    }

    It 'is disposed, with its connections, when the module is removed' {
        $disposed = 1 | ForEach-Object -Parallel {
            Import-Module $using:Manifest
            $engine = New-DbEngine (New-DbUrl -Url $using:db -Query @{ application_name = 'modremove' })
            Invoke-DbQuery 'SELECT 1' | Out-Null
            Remove-Module PgUsers
            $engine.IsDisposed
        }
        $disposed | Should -BeTrue
        Wait-Until { (Get-ConnectionCount 'modremove') -eq 0 } -Seconds 5 | Should -BeTrue
    }

    It 'rejects -<Parameter> <Value> before anything is made' -ForEach @(
        @{ Parameter = 'PoolSize'; Value = 0 }
        @{ Parameter = 'PoolSize'; Value = -1 }
        @{ Parameter = 'MaxOverflow'; Value = -1 }
        @{ Parameter = 'PoolTimeout'; Value = 0 }
        @{ Parameter = 'PoolTimeout'; Value = -5 }
        @{ Parameter = 'PoolRecycle'; Value = 0 }
        @{ Parameter = 'PoolRecycle'; Value = -2 }
        @{ Parameter = 'PoolSize'; Value = 'abc' }
    ) {
        $setting = @{ $Parameter = $Value }
        $before = @(Get-DbEngine).Count
        $err = { New-DbEngine $db @setting } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Match '^(ParameterArgumentValidationError|ParameterArgumentTransformationError|CannotConvertArgumentNoMessage),PgUsers.Commands.NewDbEngineCommand$'
        @(Get-DbEngine).Count | Should -Be $before
    }

    It 'reports a refused connection clearly instead of hanging' {
        $engine = New-DbEngine 'postgresql://nobody:pw@127.0.0.1:1/none?connect_timeout=5'
        $err = { Invoke-DbQuery 'SELECT 1' } |
            Should -Throw -ErrorId 'PgUsers.ConnectionFailed,PgUsers.Commands.InvokeDbQueryCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match '127\.0\.0\.1:1'
        $engine.CheckedOut | Should -Be 0
    }

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
