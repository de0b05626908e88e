#Requires -Version 7.4
<#
.SYNOPSIS
Installs PgUsers from its package the way a pwsh user does, and runs the shipped quickstart.

.DESCRIPTION
Builds the package (./build.ps1 -Task Package) unless -Package names one. Then, in a pwsh of its
own whose home folder is a fresh temporary folder (so the real user's modules and repositories are
never touched), it publishes the package to a file repository, installs it with
Install-PSResource, imports it by name, checks that the module came from where it was installed,
and runs examples/Quickstart.ps1 from the installed module folder (against PGUSERS_URL, else a
sandbox). Linux and macOS only: that is where the user's module folder follows HOME.
tests/PgUsers.Tests/PackageTests.cs runs it.

.EXAMPLE
dotnet tool run pwsh -NoProfile -File tools/Test-PgUsersPackage.ps1
#>
[CmdletBinding()]
param(
    # A PgUsers .nupkg; without it, ./build.ps1 -Task Package makes one.
    [string] $Package,

    # Used by the script itself: the temporary home of the installing pwsh.
    [string] $InstallHome
)
$ErrorActionPreference = 'Stop'

if (-not $InstallHome) {
    if (-not $Package) {
        # The build's own lines go to the host; the package is the FileInfo it returns.
        $Package = & (Join-Path $PSScriptRoot '..' 'build.ps1') -Task Package |
            ForEach-Object { if ($_ -is [IO.FileInfo]) { $_.FullName } else { Write-Host $_ } }
    }
    $Package = (Resolve-Path -LiteralPath $Package).ProviderPath
    "package: $(Split-Path $Package -Leaf)"

    # The same pwsh again (its own launcher, also in the .NET tool's folder), with a home of its
    # own and no module path inherited from this one.
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $work = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "pgusers-package-$([guid]::NewGuid().ToString('N'))")
    # .NET names a user folder only once it exists (NuGet would write its config to ./NuGet otherwise).
    foreach ($folder in '.config', '.cache', (Join-Path '.local' 'share')) { $null = New-Item -ItemType Directory (Join-Path $work $folder) }
    $isolate = @{ HOME = $work.FullName; PSModulePath = $null; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null }
    $saved = @{}
    foreach ($name in $isolate.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    try {
        foreach ($name in $isolate.Keys) { [Environment]::SetEnvironmentVariable($name, $isolate[$name]) }
        Push-Location $work
        & $pwsh -NoProfile -File $PSCommandPath -Package $Package -InstallHome $work.FullName
        $exitCode = $LASTEXITCODE
    }
    finally {
        Pop-Location
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
    }
    if ($exitCode -ne 0) { throw "Installing the package and running its quickstart failed (exit code $exitCode)." }
    return
}

# The installing pwsh. Refuse to run anywhere but in the temporary home.
if ($IsWindows -or $HOME -ne $InstallHome) { throw "The installing pwsh must run with HOME=$InstallHome (Linux or macOS)." }
$feed = New-Item -ItemType Directory (Join-Path $HOME 'feed')
Register-PSResourceRepository -Name PgUsersTest -Uri $feed.FullName
try {
    Publish-PSResource -NupkgPath $Package -Repository PgUsersTest
    $found = Find-PSResource -Name PgUsers -Repository PgUsersTest
    "found: $($found.Name) $($found.Version)"

    Install-PSResource -Name PgUsers -Repository PgUsersTest -TrustRepository -Scope CurrentUser
    $module = Import-Module PgUsers -PassThru
    $installed = (Get-InstalledPSResource -Name PgUsers -Scope CurrentUser).InstalledLocation
    $expected = Join-Path $installed 'PgUsers' $found.Version
    if ($module.ModuleBase -ne $expected -or -not $expected.StartsWith($HOME)) {
        throw "Import-Module PgUsers loaded $($module.ModuleBase), not the installed $expected."
    }
    "imported: $($module.Name) $($module.Version) from ~$($module.ModuleBase.Substring($HOME.Length))"

    & (Join-Path $module.ModuleBase 'examples' 'Quickstart.ps1')
}
finally {
    Unregister-PSResourceRepository -Name PgUsersTest
}
