@{
    RootModule           = 'PgUsers.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6d0f6f2e-8f3b-4f55-9a59-3c1f0f8e2a71'
    Author               = 'PgUsers contributors'
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
            Tags       = @('PostgreSQL', 'Npgsql', 'Database', 'SQLAlchemy')
            ProjectUri = 'https://example.invalid/pgusers'
        }
    }
}
