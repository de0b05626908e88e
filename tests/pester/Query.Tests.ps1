# Invoke-DbQuery as tests/PgUsers.Tests/Query*Tests.cs check it: rows, placeholders, errors,
# stopping early; and the connection always back in the pool.
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

Describe 'Invoke-DbQuery rows' {
    It 'has the columns in order, and SQL NULL is $null' {
        $rows = Invoke-DbQuery "SELECT 1 AS b, NULL::text AS a, 'x' AS c UNION ALL SELECT 2, 'y', NULL"
        $rows | Should -HaveCount 2
        $rows[0].PSObject.Properties.Name | Should -Be @('b', 'a', 'c')
        $rows[0].a | Should -BeNullOrEmpty
        $null -eq $rows[1].c | Should -BeTrue
        Invoke-DbQuery 'SELECT 1 WHERE false' | Should -BeNullOrEmpty
    }

    It 'keeps every column when names repeat' {
        $row = Invoke-DbQuery 'SELECT 1 AS id, 2 AS id, 3 AS "ID", 4'
        $names = $row.PSObject.Properties.Name
        $names | Should -HaveCount 4
        $names | ForEach-Object { $row.$_ } | Should -Be @(1, 2, 3, 4)
    }

    It 'types values as Npgsql maps them' {
        $row = Invoke-DbQuery "SELECT 1::int AS i, 2::bigint AS l, 1.5::numeric AS n, true AS b, '2024-01-02 03:04:05'::timestamp AS ts,
            '00000000-0000-0000-0000-000000000001'::uuid AS g, ARRAY[1,2,3] AS arr, interval '1 hour' AS iv"
        $row.i | Should -BeOfType [int]
        $row.l | Should -BeOfType [long]
        $row.n | Should -Be 1.5
        $row.n | Should -BeOfType [decimal]
        $row.b | Should -BeTrue
        $row.ts | Should -Be ([datetime]'2024-01-02 03:04:05')
        $row.g | Should -Be ([guid]'00000000-0000-0000-0000-000000000001')
        $row.arr | Should -Be @(1, 2, 3)
        $row.iv | Should -Be ([timespan]::FromHours(1))
    }

    It '-Scalar returns the first value, and $null for NULL or no rows' {
        Invoke-DbQuery 'SELECT 42::bigint, 7' -Scalar | Should -Be 42
        Invoke-DbQuery 'SELECT NULL' -Scalar | Should -BeNullOrEmpty
        Invoke-DbQuery 'SELECT 1 WHERE false' -Scalar | Should -BeNullOrEmpty
    }

    It '-NonQuery returns the rows affected' {
        Invoke-DbQuery 'CREATE TABLE nq(x int)'
        Invoke-DbQuery 'INSERT INTO nq SELECT generate_series(1,3)' -NonQuery | Should -Be 3
        Invoke-DbQuery 'DELETE FROM nq WHERE x > 1' -NonQuery | Should -Be 2
    }

    It 'streams every result set of a multi-statement text' {
        $rows = Invoke-DbQuery 'SELECT 1 AS a; SELECT 2 AS b, 3 AS c'
        $rows | Should -HaveCount 2
        $rows[0].PSObject.Properties.Name | Should -Be @('a')
        $rows[1].PSObject.Properties.Name | Should -Be @('b', 'c')
    }

    It 'commits all the statements of one call together, or none' {
        Invoke-DbQuery 'CREATE TABLE tx(x int)'
        { Invoke-DbQuery 'INSERT INTO tx VALUES (1); INSERT INTO tx VALUES (2); SELECT 1/0' } |
            Should -Throw -ErrorId 'PgUsers.Sql.22012,PgUsers.Commands.InvokeDbQueryCommand'
        Invoke-DbQuery 'SELECT count(*) FROM tx' -Scalar | Should -Be 0
        Invoke-DbQuery 'INSERT INTO tx VALUES (1); INSERT INTO tx VALUES (2)'
        Invoke-DbQuery 'SELECT count(*) FROM tx' -Scalar | Should -Be 2
    }

    It 'rows pipe into Where-Object and ConvertTo-Json like any object' {
        $json = Invoke-DbQuery 'SELECT g AS n, g % 2 = 0 AS even FROM generate_series(1, 6) g' |
            Where-Object even | ConvertTo-Json -Compress
        ($json | ConvertFrom-Json).n | Should -Be @(2, 4, 6)
    }
}

Describe 'Invoke-DbQuery parameters' {
    It 'binds @name and :name from a hashtable' {
        $row = Invoke-DbQuery 'SELECT @a::int + 1 AS x, :b AS y' @{ a = 41; b = 'text' }
        $row.x | Should -Be 42
        $row.y | Should -Be 'text'
    }

    It 'binds from an object''s properties' {
        Invoke-DbQuery 'SELECT :name || @suffix' -Parameters ([pscustomobject]@{ name = 'ab'; suffix = 'c' }) -Scalar | Should -Be 'abc'
    }

    It 'leaves casts, literals, quoted identifiers, comments and dollar quotes alone' {
        $row = Invoke-DbQuery @'
SELECT '1'::int AS cast_,
       ':notparam @notparam' AS literal_,
       1 AS "a:b@c",
       $$ :inside @inside $$ AS dollar_,
       $tag$ :x $tag$ AS tagged_,
       :real AS real_ -- :comment @comment
       /* :block @block */
'@ @{ real = 5 }
        $row.cast_ | Should -Be 1
        $row.literal_ | Should -Be ':notparam @notparam'
        $row.'a:b@c' | Should -Be 1
        $row.dollar_ | Should -Be ' :inside @inside '
        $row.tagged_ | Should -Be ' :x '
        $row.real_ | Should -Be 5
    }

    It 'treats a value as data, never SQL' {
        Invoke-DbQuery "CREATE TABLE victims(name text); INSERT INTO victims VALUES ('x')"
        $evil = "x'); DROP TABLE victims; --"
        Invoke-DbQuery 'SELECT @v' @{ v = $evil } -Scalar | Should -Be $evil
        Invoke-DbQuery 'SELECT count(*) FROM victims WHERE name = :v' @{ v = $evil } -Scalar | Should -Be 0
        Invoke-DbQuery 'SELECT count(*) FROM victims' -Scalar | Should -Be 1
    }

    It 'binds PowerShell arrays as typed arrays for ANY' {
        Invoke-DbQuery 'SELECT count(*) FROM generate_series(1,10) g WHERE g = ANY(@ids)' @{ ids = @(3, 7) } -Scalar | Should -Be 2
        Invoke-DbQuery "SELECT count(*) FROM (VALUES ('a'), ('b')) v(s) WHERE s = ANY(:names)" @{ names = @('b') } -Scalar | Should -Be 1
    }

    It 'binds $null and dates' {
        Invoke-DbQuery 'SELECT @v::text IS NULL' @{ v = $null } -Scalar | Should -BeTrue
        Invoke-DbQuery 'SELECT @d::date' @{ d = [datetime]'2024-05-06' } -Scalar | Should -Be ([dateonly]::new(2024, 5, 6))
    }

    It 'tells the SQL, time and rows with -Verbose, never the values' {
        $verbose = Invoke-DbQuery 'SELECT @secret AS s FROM generate_series(1,3)' @{ secret = 'TopSecretValue' } -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $text = $verbose -join "`n"
        $text | Should -Match ([regex]::Escape('SELECT @secret AS s FROM generate_series(1,3)'))
        $text | Should -Match '3 rows in [0-9.]+ ms'
        $text | Should -Not -Match 'TopSecretValue'
    }

    It 'runs once per piped object, in one transaction' {
        Invoke-DbQuery 'CREATE TABLE piped(id bigint PRIMARY KEY, name text)'
        $csv = @('id,name', '1,one', '2,two', '3,three') | ConvertFrom-Csv
        $csv | Invoke-DbQuery 'INSERT INTO piped VALUES (@id::bigint, @name)' -NonQuery | Should -Be 3
        $again = @('id,name', '4,four', '1,duplicate') | ConvertFrom-Csv
        { $again | Invoke-DbQuery 'INSERT INTO piped VALUES (@id::bigint, @name)' } |
            Should -Throw -ErrorId 'PgUsers.Sql.23505,PgUsers.Commands.InvokeDbQueryCommand'
        Invoke-DbQuery 'SELECT count(*) FROM piped' -Scalar | Should -Be 3
    }
}

Describe 'Invoke-DbQuery errors' {
    It 'carries SQLSTATE, message and position for a syntax error' {
        $err = { Invoke-DbQuery 'SELECT 1 FROMM nowhere' } |
            Should -Throw -ErrorId 'PgUsers.Sql.42601,PgUsers.Commands.InvokeDbQueryCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 'SELECT 1 FROMM nowhere'
        $err.Exception.SqlState | Should -Be '42601'
        $err.Exception.Position | Should -Be 16
        $err.Exception.Message | Should -Match 'syntax error'
    }

    It 'carries detail and constraint for a duplicate key' {
        Invoke-DbQuery 'CREATE TABLE uq(id int PRIMARY KEY); INSERT INTO uq VALUES (1)'
        $err = { Invoke-DbQuery 'INSERT INTO uq VALUES (1)' } |
            Should -Throw -ErrorId 'PgUsers.Sql.23505,PgUsers.Commands.InvokeDbQueryCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.Exception.Detail | Should -Be 'Key (id)=(1) already exists.'
        $err.Exception.ConstraintName | Should -Be 'uq_pkey'
        $err.Exception.Message | Should -Match ([regex]::Escape('DETAIL: Key (id)=(1) already exists.'))
    }

    It 'works with try/catch on the exception type' {
        $caught = try { Invoke-DbQuery 'SELECT 1/0' } catch [PgUsers.DbSqlException] { $_.Exception.SqlState }
        $caught | Should -Be '22012'
    }

    It 'returns the connection to the pool, clean, after an error' {
        { Invoke-DbQuery 'SELECT 1/0' } | Should -Throw
        $engine.CheckedOut | Should -Be 0
        Invoke-DbQuery 'SELECT 1' -Scalar | Should -Be 1
    }

    It 'does not leak a SET from one call into the next' {
        Invoke-DbQuery "SET statement_timeout = '1234ms'"
        Invoke-DbQuery 'SHOW statement_timeout' -Scalar | Should -Not -Be '1234ms'
    }

    It 'cancels the statement on the server after -CommandTimeout' {
        $err = { Invoke-DbQuery 'SELECT pg_sleep(30) AS timeout_marker' -CommandTimeout 1 } |
            Should -Throw -ErrorId 'PgUsers.CommandTimeout,PgUsers.Commands.InvokeDbQueryCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        Wait-Until { (Get-ActiveStatementCount 'timeout_marker') -eq 0 } -Seconds 5 | Should -BeTrue
        $engine.CheckedOut | Should -Be 0
    }

    It 'reports the server''s statement_timeout clearly' {
        $err = { Invoke-DbQuery "SET LOCAL statement_timeout = '200ms'; SELECT pg_sleep(5)" } |
            Should -Throw -ErrorId 'PgUsers.Sql.57014,PgUsers.Commands.InvokeDbQueryCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'OperationStopped'
    }
}

Describe 'Invoke-DbQuery stopping early' {
    It 'stops the read at Select-Object -First without draining the rest' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $rows = Invoke-DbQuery 'SELECT generate_series(1, 200000000) AS first_marker' | Select-Object -First 5
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        $rows.first_marker | Should -Be @(1, 2, 3, 4, 5)
        Get-ActiveStatementCount 'first_marker' | Should -Be 0
        $engine.CheckedOut | Should -Be 0
    }

    It 'cancels the running statement on the server when stopped (Ctrl+C)' {
        $job = 1 | ForEach-Object -AsJob -Parallel {
            Import-Module $using:Manifest
            Invoke-DbQuery 'SELECT pg_sleep(60) AS ctrlc_marker' -Engine $using:engine
        }
        Wait-Until { (Get-ActiveStatementCount 'ctrlc_marker') -eq 1 } -Seconds 10 | Should -BeTrue
        $job | Stop-Job
        Wait-Until { (Get-ActiveStatementCount 'ctrlc_marker') -eq 0 } -Seconds 5 | Should -BeTrue
        $job | Remove-Job -Force
        $engine.CheckedOut | Should -Be 0
        Invoke-DbQuery 'SELECT 1' -Scalar | Should -Be 1
    }

    It 'returns the connection when a downstream script block throws' {
        { Invoke-DbQuery 'SELECT generate_series(1, 200000000) AS throw_marker' | ForEach-Object { throw 'downstream' } } |
            Should -Throw 'downstream'
        $engine.CheckedOut | Should -Be 0
        Wait-Until { (Get-ActiveStatementCount 'throw_marker') -eq 0 } -Seconds 5 | Should -BeTrue
    }
}
