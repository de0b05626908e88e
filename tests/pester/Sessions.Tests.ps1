#Requires -Modules Pester
# Units of work: New-DbSession (object form) and Use-DbSession (script-block form).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'PgUsers' 'PgUsers.psd1') -Force
    $script:sandbox = Start-DbSandbox
    $script:engine = New-DbEngine $sandbox.Url -PoolSize 2

    function Get-RowCount { Invoke-DbQuery 'SELECT count(*) FROM t' -Scalar -Engine $engine }
}

AfterAll {
    Remove-DbEngine $engine
    Stop-DbSandbox $sandbox
}

Describe 'Sessions' {
    BeforeEach {
        Invoke-DbQuery 'DROP TABLE IF EXISTS t; CREATE TABLE t(id int PRIMARY KEY)'
    }

    AfterEach {
        $engine.CheckedOut | Should -Be 0
    }

    Context 'New-DbSession' {
        It 'is invisible to others until Commit() and durable after' {
            $s = New-DbSession
            Invoke-DbQuery 'INSERT INTO t VALUES (1)' -Session $s
            Get-RowCount | Should -Be 0
            $s.Commit()
            Get-RowCount | Should -Be 1
            $s.Dispose()
        }

        It 'leaves no trace when disposed without Commit()' {
            $s = New-DbSession
            Invoke-DbQuery 'INSERT INTO t VALUES (1)' -Session $s
            $s.Dispose()
            Get-RowCount | Should -Be 0
        }

        It 'is a clear error once disposed' {
            $s = New-DbSession
            $s.Dispose()
            { Invoke-DbQuery 'SELECT 1' -Session $s -ErrorAction Stop } |
                Should -Throw -ErrorId 'PgUsers.SessionClosed,PgUsers.Commands.InvokeDbQueryCommand'
        }

        It 'is a clear error from another runspace' {
            $s = New-DbSession
            try {
                $errorId = 1 | ForEach-Object -Parallel {
                    Import-Module $using:PSScriptRoot/../../out/PgUsers/PgUsers.psd1
                    try { Invoke-DbQuery 'SELECT 1' -Session $using:s -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
                }
                $errorId | Should -BeLike 'PgUsers.SessionWrongRunspace,*'
            }
            finally { $s.Dispose() }
        }

        It 'refuses to commit after a failed command' {
            $s = New-DbSession
            Invoke-DbQuery 'INSERT INTO t VALUES (1)' -Session $s
            try { Invoke-DbQuery 'SELECT 1/0' -Session $s } catch { }
            { $s.Commit() } | Should -Throw '*rolled back*'
            $s.Dispose()
            Get-RowCount | Should -Be 0
        }
    }

    Context 'Use-DbSession' {
        It 'commits when the block ends and streams its output' {
            $out = Use-DbSession { Invoke-DbQuery 'INSERT INTO t VALUES (1), (2) RETURNING id' }
            $out.id | Should -Be @(1, 2)
            Get-RowCount | Should -Be 2
        }

        It 'is ambient in nested functions and rolls back on throw' {
            function Add-Row($id) { Invoke-DbQuery 'INSERT INTO t VALUES (@id)' -Parameters @{ id = $id } }
            { Use-DbSession { Add-Row 1; Add-Row 2; throw 'x' } } | Should -Throw 'x'
            Get-RowCount | Should -Be 0
        }

        It 'ends the block at a failed command and rolls back' {
            { Use-DbSession {
                    Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                    Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                } } | Should -Throw -ErrorId 'PgUsers.Sql.23505*'
            Get-RowCount | Should -Be 0
        }

        It 'rolls back only a nested block that failed' {
            Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                try { Use-DbSession { Invoke-DbQuery 'INSERT INTO t VALUES (2)'; throw 'inner' } } catch { }
                Use-DbSession { Invoke-DbQuery 'INSERT INTO t VALUES (3)' }
            }
            (Invoke-DbQuery 'SELECT id FROM t ORDER BY id').id | Should -Be @(1, 3)
        }

        It 'keeps the work of a block left with break' {
            foreach ($i in 1..3) { Use-DbSession { Invoke-DbQuery "INSERT INTO t VALUES ($i)"; if ($i -eq 2) { break } } }
            Get-RowCount | Should -Be 2
        }

        It 'rolls back a block that a downstream Select-Object -First stopped early' {
            $first = Use-DbSession {
                Invoke-DbQuery 'INSERT INTO t VALUES (1) RETURNING id'
                Invoke-DbQuery 'INSERT INTO t VALUES (2) RETURNING id'
            } | Select-Object -First 1
            $first.id | Should -Be 1
            Get-RowCount | Should -Be 0
        }

        It 'leaves variables set in the block in the caller''s scope' {
            $n = 0
            Use-DbSession { $n = 5 }
            $n | Should -Be 5
        }

        It 'rolls back when the pipeline is stopped' {
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($manifest, $url)
                    Import-Module $manifest
                    New-DbEngine $url | Out-Null
                    Use-DbSession {
                        Invoke-DbQuery 'INSERT INTO t VALUES (1)'
                        Invoke-DbQuery 'SELECT pg_sleep(60) AS pester_stop_marker'
                    }
                }).AddArgument((Join-Path $PSScriptRoot '..' '..' 'out' 'PgUsers' 'PgUsers.psd1')).AddArgument($sandbox.Url)
            $pending = $ps.BeginInvoke()
            $deadline = (Get-Date).AddSeconds(15)
            while ((Invoke-DbQuery "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pester_stop_marker%' AND pid <> pg_backend_pid()" -Scalar) -eq 0 -and (Get-Date) -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            $ps.Stop()
            $pending.IsCompleted | Should -BeTrue
            $ps.Dispose()
            Get-RowCount | Should -Be 0
        }
    }

    Context 'Invoke-DbQuery pipeline input' {
        It 'runs once per CSV row in one transaction and reports the total' {
            $total = @'
id,unused
1,a
2,b
'@ | ConvertFrom-Csv | Invoke-DbQuery 'INSERT INTO t VALUES (@id)' -NonQuery
            $total | Should -Be 2
            Get-RowCount | Should -Be 2
        }

        It 'binds hashtable keys and leaves nothing when an execution fails mid-way' {
            { @{ id = 1 }, @{ id = 2 }, @{ id = 1 } | Invoke-DbQuery 'INSERT INTO t VALUES (@id)' -ErrorAction Stop } |
                Should -Throw -ErrorId 'PgUsers.Sql.23505*'
            Get-RowCount | Should -Be 0
        }
    }
}
