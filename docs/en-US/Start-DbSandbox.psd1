@{
    Name        = 'Start-DbSandbox'
    Synopsis    = 'Starts a throwaway PostgreSQL server on 127.0.0.1 and a free port, for trying the module and for tests.'
    Description = @'
Start-DbSandbox starts a private PostgreSQL server and returns a PgUsers.DbSandbox whose Url
connects to it as a superuser (user pgusers, a random password, database postgres). Pass the
sandbox, or its Url, to New-DbEngine.

It uses the local server binaries when it finds initdb and pg_ctl: in -BinDirectory, on the
PATH, in the folder that pg_config --bindir names, or in the newest /usr/lib/postgresql/*/bin.
The cluster is created in a new temporary folder; when the process runs as root, initdb and
pg_ctl run as the postgres user (initdb refuses to run as root). When no binaries are found
and a Docker engine answers, it runs the postgres:16 container image instead. Otherwise it
fails with an error of id PgUsers.SandboxFailed that says what to install.

The server is stopped and its files deleted by Stop-DbSandbox, by removing the module, or
when the PowerShell process exits. Nothing of it is meant to be kept.
'@
    Parameters  = @{
        BinDirectory = @'
The folder that holds initdb and pg_ctl, when they are not found on their own (for example
/usr/lib/postgresql/16/bin). A folder without them is an error of id PgUsers.SandboxFailed;
no Docker fallback is tried then.
'@
    }
    Inputs      = @(
        @{ Type = 'None'; Description = 'Start-DbSandbox takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbSandbox'; Description = @'
The running sandbox: Url (a DbUrl, password masked when shown), Port, Kind (Local or Docker),
Version, Directory (the cluster's folder, for the Local kind) and IsRunning.
'@ }
    )
    Examples    = @(
        @{
            Title   = 'Try the module without a server of your own'
            Code    = @'
$sandbox = Start-DbSandbox
New-DbEngine $sandbox | Out-Null
Initialize-DbUserTable
Invoke-DbQuery "INSERT INTO users (telegram_id, full_name, language_code) VALUES (1, 'John Doe', 'en')"
Get-DbUser
Stop-DbSandbox $sandbox
'@
            Remarks = 'A complete round trip on a server that exists only for these lines.'
        }
        @{
            Title   = 'A server for a test run, or the one CI gives'
            Code    = @'
$sandbox = if ($env:PGUSERS_TEST_URL) { $null } else { Start-DbSandbox -Verbose }
$url = if ($sandbox) { $sandbox.Url } else { $env:PGUSERS_TEST_URL }
try {
    $engine = New-DbEngine $url
    Invoke-DbQuery 'SELECT version()' -Scalar
}
finally {
    Remove-DbEngine $engine
    if ($sandbox) { Stop-DbSandbox $sandbox }
}
'@
            Remarks = @'
The pattern the module's own Pester suites use. -Verbose shows which binaries or image were
used and the URL (password masked).
'@
        }
        @{
            Title   = 'Name the binaries explicitly'
            Code    = @'
Start-DbSandbox -BinDirectory /usr/lib/postgresql/16/bin | Format-List Kind, Version, Port, Directory
'@
            Remarks = 'Useful when several PostgreSQL versions are installed side by side.'
        }
    )
    Links       = @('Stop-DbSandbox', 'New-DbEngine')
}
