#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, packages or demonstrates PgUsers.

.DESCRIPTION
Build    dotnet build PgUsers.sln: lays out the importable module at out/PgUsers.
Test     Build, then the xunit suite (dotnet test), then the Pester 5 suites in tests/pester
         when Pester 5 is installed. Set PGUSERS_TEST_URL to test against a server you keep;
         otherwise each suite starts a sandbox (local PostgreSQL binaries, or Docker).
Package  Release build of the module, zipped to out/PgUsers-<version>.zip.
Demo     Runs out/PgUsers/examples/Quickstart.ps1 (against PGUSERS_URL, or a sandbox).
Help     Build, then regenerate module/en-US/PgUsers.dll-Help.xml from docs/en-US.

.EXAMPLE
./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Help')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleOut = Join-Path $root 'out' 'PgUsers'

# Native commands do not throw on failure; stop the build when one fails.
function Invoke-Dotnet {
    Write-Host "dotnet $($args -join ' ')" -ForegroundColor Cyan
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build([string] $Config) {
    Invoke-Dotnet build (Join-Path $root 'PgUsers.sln') -c $Config
}

function Invoke-Test {
    Invoke-Build $Configuration
    Invoke-Dotnet test (Join-Path $root 'PgUsers.sln') -c $Configuration --no-build
    $pester = Get-Module Pester -ListAvailable | Where-Object Version -ge '5.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed, so tests/pester did not run. Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
        return
    }
    # A child process, so that the module the suites import is not left loaded in this session.
    & (Get-PwshPath) -NoProfile -File (Join-Path $root 'tools' 'Invoke-PesterSuites.ps1')
    if ($LASTEXITCODE -ne 0) { throw 'The Pester suites failed.' }
}

function Invoke-Package {
    # Only the module's projects: the test projects are not part of what ships.
    Invoke-Dotnet build (Join-Path $root 'src' 'PgUsers.Driver' 'PgUsers.Driver.csproj') -c Release
    $version = (Import-PowerShellDataFile (Join-Path $moduleOut 'PgUsers.psd1')).ModuleVersion
    $zip = Join-Path $root 'out' "PgUsers-$version.zip"
    Remove-Item $zip -ErrorAction SilentlyContinue
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    [System.IO.Compression.ZipFile]::CreateFromDirectory($moduleOut, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)
    Get-Item $zip
}

function Invoke-Demo {
    $quickstart = Join-Path $moduleOut 'examples' 'Quickstart.ps1'
    if (-not (Test-Path $quickstart)) { Invoke-Build $Configuration }
    & (Get-PwshPath) -NoProfile -File $quickstart
    if ($LASTEXITCODE -ne 0) { throw "The quickstart failed with exit code $LASTEXITCODE." }
}

function Invoke-Help {
    Invoke-Build $Configuration
    & (Get-PwshPath) -NoProfile -File (Join-Path $root 'tools' 'New-PgUsersHelp.ps1')
    if ($LASTEXITCODE -ne 0) { throw "Help generation failed with exit code $LASTEXITCODE." }
    # Copy the new help into out/PgUsers too.
    Invoke-Build $Configuration
}

function Get-PwshPath {
    $pwsh = Get-Command pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $pwsh) { throw 'pwsh (PowerShell 7.4 or later) is not on the PATH.' }
    $pwsh.Source
}

switch ($Task) {
    'Build' { Invoke-Build $Configuration }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
    'Help' { Invoke-Help }
}
