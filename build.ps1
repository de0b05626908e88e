#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, packages or demonstrates PgUsers.

.DESCRIPTION
Build    dotnet build PgUsers.sln: lays out the importable module at out/PgUsers.
Test     Build, then the xunit suite (dotnet test), then the Pester 5 suites in tests/pester
         when Pester 5 is installed (dotnet test runs them too, against a container). Set
         PGUSERS_TEST_URL to test against a server you keep; with PGUSERS_TEST_IMAGE set (from
         tools/container/engine.sh start) they run against a container of that image; otherwise
         each suite starts a sandbox (local PostgreSQL binaries, or a container).
Package  Release build of the module, packed by PSResourceGet into out/PgUsers.<version>.nupkg,
         which Publish-PSResource -NupkgPath and Install-PSResource (from a file repository) take.
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
    $image = if ($env:PGUSERS_TEST_IMAGE) { @('-Image', $env:PGUSERS_TEST_IMAGE) } else { @() }
    & (Get-PwshPath) -NoProfile -File (Join-Path $root 'tools' 'Invoke-PesterSuites.ps1') @image
    if ($LASTEXITCODE -ne 0) { throw 'The Pester suites failed.' }
}

function Invoke-Package {
    # A Release build of the module's projects only (the test projects are not part of what ships),
    # laid out apart from out/PgUsers: a session or test run may have that folder's assemblies loaded.
    $staging = Join-Path $root 'out' 'package'
    $layout = Join-Path $staging 'PgUsers'
    Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue
    Invoke-Dotnet build (Join-Path $root 'src' 'PgUsers.Driver' 'PgUsers.Driver.csproj') -c Release "-p:ModuleOut=$layout/"
    # The MIT license asks for its notice in every copy.
    Copy-Item (Join-Path $root 'LICENSE') $layout
    $version = (Import-PowerShellDataFile (Join-Path $layout 'PgUsers.psd1')).ModuleVersion

    # PSResourceGet packs it, as Publish-PSResource does for the PowerShell Gallery. Its
    # Compress-PSResource (1.1 and later, in pwsh 7.5+) touches no repository; with PSResourceGet
    # 1.0 (pwsh 7.4) the package comes out of a throwaway file repository instead.
    $feed = New-Item -ItemType Directory (Join-Path $staging 'feed')
    if (Get-Command Compress-PSResource -ErrorAction Ignore) {
        Compress-PSResource -Path $layout -DestinationPath $feed.FullName
    }
    else {
        $feedName = "PgUsersPackage-$([guid]::NewGuid().ToString('N'))"
        Register-PSResourceRepository -Name $feedName -Uri $feed.FullName -Trusted
        try {
            Publish-PSResource -Path $layout -Repository $feedName
        }
        finally {
            Unregister-PSResourceRepository -Name $feedName
        }
    }
    $nupkg = Join-Path $root 'out' "PgUsers.$version.nupkg"
    Move-Item (Join-Path $feed.FullName "PgUsers.$version.nupkg") $nupkg -Force
    Remove-Item $staging -Recurse -Force
    Get-Item $nupkg
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
    if ($pwsh) { return $pwsh.Source }
    # Not on the PATH, as with `dotnet tool run pwsh`: this pwsh's own launcher.
    $own = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $own) { return $own }
    throw 'pwsh (PowerShell 7.4 or later) is not on the PATH.'
}

switch ($Task) {
    'Build' { Invoke-Build $Configuration }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
    'Help' { Invoke-Help }
}
