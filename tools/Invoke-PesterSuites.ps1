#Requires -Version 7.4
<#
.SYNOPSIS
Runs the Pester 5 suites in tests/pester against the built module (out/PgUsers).

.DESCRIPTION
Uses the installed Pester 5, or the Pester.psd1 given with -PesterPath (for example from the
Pester NuGet package, where there is no pwsh and no PowerShell Gallery):
    dotnet run --project tests/PgUsers.Host -- tools/Invoke-PesterSuites.ps1 ~/.nuget/packages/pester/5.7.1/tools/Pester.psd1
Ends with one line "N passed, N failed, N skipped", and fails when a test failed.
#>
[CmdletBinding()]
param(
    [string] $PesterPath,
    [string[]] $Path = (Join-Path $PSScriptRoot '..' 'tests' 'pester')
)
$ErrorActionPreference = 'Stop'
if ($PesterPath) { Import-Module $PesterPath } else { Import-Module Pester -MinimumVersion 5.0 }
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
"$($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') { throw "Pester: $($result.FailedCount) test(s) failed." }
