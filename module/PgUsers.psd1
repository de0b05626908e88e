@{
    RootModule           = 'PgUsers.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6d0f6f2e-8f3b-4f55-9a59-3c1f0f8e2a71'
    Author               = 'PgUsers contributors'
    CompanyName          = 'PgUsers contributors'
    Copyright            = '(c) 2026 PgUsers contributors. MIT License.'
    Description          = 'PostgreSQL for PowerShell the SQLAlchemy way: safe connection URLs, a pooled engine shared by the session, units of work, streaming raw SQL, and typed cmdlets for a users table.'
    PowerShellVersion    = '7.4'
    TypesToProcess       = @('PgUsers.Types.ps1xml')
    FormatsToProcess     = @('PgUsers.Format.ps1xml')
    CmdletsToExport      = @(
        'New-DbUrl'
        'New-DbEngine'
        'Get-DbEngine'
        'Remove-DbEngine'
        'Invoke-DbQuery'
        'Get-DbUser'
        'Add-DbUser'
        'Set-DbUser'
        'Remove-DbUser'
        'Initialize-DbUserTable'
        'Import-DbCsv'
        'Export-DbCsv'
        'Get-DbTable'
        'Write-DbTable'
        'Copy-DbTable'
        'Send-DbNotification'
        'Wait-DbNotification'
        'Register-DbNotification'
        'New-DbSession'
        'Use-DbSession'
        'Start-DbSandbox'
        'Stop-DbSandbox'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('PostgreSQL', 'Postgres', 'Npgsql', 'Database', 'SQL', 'SQLAlchemy', 'ConnectionPool', 'CSV', 'PSEdition_Core')
            # Placeholders: the project has no public address yet (.invalid is reserved, RFC 2606).
            ProjectUri   = 'https://example.invalid/pgusers'
            LicenseUri   = 'https://example.invalid/pgusers/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0, the first release. The full list of changes is CHANGELOG.md in the repository.
- New-DbUrl: libpq/SQLAlchemy connection URLs whose password is never shown; service files, PG* variables.
- New-DbEngine: a lazily opened, bounded, shared connection pool (PoolSize, MaxOverflow, PoolTimeout, PoolRecycle, PrePing); multi-host URLs, primaries and standbys, failover.
- Invoke-DbQuery: raw SQL with @parameters, rows streamed as objects; every column type readable.
- New-DbSession, Use-DbSession: units of work that commit or roll back as one, with -Retry.
- Get-DbUser, Add-DbUser, Set-DbUser, Remove-DbUser, Initialize-DbUserTable: typed cmdlets for a users table; strict binding; bulk loads by binary COPY.
- Import-DbCsv, Export-DbCsv: CSV files through COPY.
- Copy-DbTable: a table or a query into a table on another engine, binary COPY TO streamed into COPY FROM.
- Start-DbSandbox, Stop-DbSandbox: a throwaway local server, with standbys and PgBouncer.
- Npgsql 10 loads in the module's own load context, so another module's Npgsql cannot clash.
'@
        }
    }
}
