#Requires -Version 7.4
# Reads on a standby, writes on the primary, out of one engine; then a failover.
# Runs on a throwaway local primary with one streaming standby (needs PostgreSQL's server binaries).
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'PgUsers.psd1')

$sandbox = Start-DbSandbox -Standby 1
try {
    # One URL for both servers; target_session_attrs=read-write makes the primary the default.
    $url = New-DbUrl -Url $sandbox.MultiHostUrl -Query @{ target_session_attrs = 'read-write' }
    $engine = New-DbEngine $url -PoolSize 4

    Initialize-DbUserTable
    Invoke-DbQuery @'
INSERT INTO users (telegram_id, full_name, username, language_code, referrer_id)
VALUES (1, 'John Doe', 'johndoe', 'en', NULL), (2, 'Jane Doe', 'janedoe', 'en', 1);
'@
    # Replication is asynchronous: wait until the standby has replayed what the primary wrote.
    $lsn = Invoke-DbQuery 'SELECT pg_current_wal_insert_lsn()::text' -Scalar
    while (-not (Invoke-DbQuery 'SELECT pg_last_wal_replay_lsn() >= @lsn::pg_lsn' @{ lsn = $lsn } -Scalar -TargetSessionAttrs standby)) {
        Start-Sleep -Milliseconds 50
    }

    # Per call: the same engine, the same pool bound, another kind of server.
    Invoke-DbQuery 'SELECT inet_server_port() AS port, pg_is_in_recovery() AS standby' | Out-Default
    Invoke-DbQuery 'SELECT inet_server_port() AS port, pg_is_in_recovery() AS standby' -TargetSessionAttrs standby | Out-Default
    Get-DbUser -TargetSessionAttrs standby | Out-Default

    # Per unit of work: every command in the block reads from one standby connection.
    Use-DbSession -TargetSessionAttrs standby {
        [pscustomobject]@{ Users = Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar; OnStandby = Invoke-DbQuery 'SELECT pg_is_in_recovery()' -Scalar }
    } | Out-Default
    $engine.Hosts | Out-Default

    # Failover: the primary goes, the standby is promoted, the same engine writes again.
    $sandbox.Primary.Stop()
    try { Invoke-DbQuery "UPDATE users SET username = 'jd' WHERE telegram_id = 1" } catch { "In between: $($_.FullyQualifiedErrorId)" }
    $sandbox.Standbys[0].Promote()
    Invoke-DbQuery "UPDATE users SET username = 'jd' WHERE telegram_id = 1"
    Get-DbUser -TelegramId 1 | Out-Default
    $engine.Hosts | Out-Default
}
finally {
    Get-DbEngine | Remove-DbEngine
    Stop-DbSandbox $sandbox
}
