# Dot-sourced by every suite's BeforeAll: one server per suite and a fresh database on it,
# the same arrangement as the xunit harness (tests/PgUsers.Tests/Infrastructure).

$Manifest = Join-Path $PSScriptRoot '..' '..' 'out' 'PgUsers' 'PgUsers.psd1'

# PGUSERS_TEST_URL when set (CI, or a server you keep), else a sandbox this suite owns.
function Start-TestServer {
    if ($env:PGUSERS_TEST_URL) {
        return [pscustomobject]@{ Sandbox = $null; Url = New-DbUrl -Url $env:PGUSERS_TEST_URL }
    }
    $sandbox = Start-DbSandbox
    [pscustomobject]@{ Sandbox = $sandbox; Url = $sandbox.Url }
}

function Stop-TestServer($Server) {
    Get-DbEngine | Remove-DbEngine
    if ($Server.Sandbox) { Stop-DbSandbox $Server.Sandbox }
}

# An engine named 'admin' on the server's own database: it creates the suite's database and
# reads the server's view (pg_stat_activity), never through the engines under test.
function New-TestDatabase($Server, [string] $Name) {
    $admin = New-DbEngine $Server.Url -Name admin -PoolSize 1
    Invoke-DbQuery "DROP DATABASE IF EXISTS $Name WITH (FORCE)" -Engine $admin
    Invoke-DbQuery "CREATE DATABASE $Name" -Engine $admin
    New-DbUrl -Url $Server.Url -Database $Name
}

function Invoke-AdminQuery([string] $Query, $Parameters, [switch] $Scalar) {
    $mode = if ($Scalar) { @{ Scalar = $true } } else { @{} }
    Invoke-DbQuery $Query $Parameters -Engine (Get-DbEngine admin) @mode
}

# Connections the server sees with this application_name (set with ?application_name=).
function Get-ConnectionCount([string] $ApplicationName) {
    Invoke-AdminQuery 'SELECT count(*) FROM pg_stat_activity WHERE application_name = @app' @{ app = $ApplicationName } -Scalar
}

function Get-ActiveStatementCount([string] $Marker) {
    Invoke-AdminQuery "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE @pattern AND pid <> pg_backend_pid()" @{ pattern = "%$Marker%" } -Scalar
}

function Wait-Until([scriptblock] $Condition, [double] $Seconds = 15) {
    $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
    while ([datetime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 50
    }
    [bool](& $Condition)
}

# Engines made by a test go at its end; the suite's admin engine stays.
function Remove-TestEngines {
    Get-DbEngine | Where-Object Name -ne 'admin' | Remove-DbEngine
}
