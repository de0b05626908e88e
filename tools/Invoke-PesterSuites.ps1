#Requires -Version 7.4
<#
.SYNOPSIS
Runs the Pester 5 suites in tests/pester against the built module (out/PgUsers).

.DESCRIPTION
Uses the installed Pester 5, or the Pester.psd1 given with -PesterPath (for example from the
Pester NuGet package, where there is no pwsh and no PowerShell Gallery):
    dotnet run --project tests/PgUsers.Host -- tools/Invoke-PesterSuites.ps1 ~/.nuget/packages/pester/5.7.1/tools/Pester.psd1
With -Image the suites run against one server in a container of that image
(Start-DbSandbox -Image, through the docker client), as the design card says; the first line
names the container. tools/container/engine.sh provides an engine and the test image:
    eval "$(tools/container/engine.sh start $$)"; export DOCKER_HOST CONTAINERS_CONF
    ... tools/Invoke-PesterSuites.ps1 -Image $PGUSERS_TEST_IMAGE
Ends with one line "N passed, N failed, N skipped", and fails when a test failed.
#>
[CmdletBinding()]
param(
    [string] $PesterPath,
    [string[]] $Path = (Join-Path $PSScriptRoot '..' 'tests' 'pester'),
    [string] $Image
)
$ErrorActionPreference = 'Stop'
if ($PesterPath) { Import-Module $PesterPath } else { Import-Module Pester -MinimumVersion 5.0 }
$serverShell = $null
$saved = $env:PGUSERS_TEST_URL, $env:PGUSERS_TEST_IMAGE
if ($Image) {
    # In a runspace of its own: the suites re-import the module and stop their sandboxes, never this one.
    $serverShell = [powershell]::Create()
    $manifest = Join-Path $PSScriptRoot '..' 'out' 'PgUsers' 'PgUsers.psd1'
    $sandbox = $serverShell.AddScript('param($m, $i) Import-Module $m; Start-DbSandbox -Container -Image $i').
        AddArgument($manifest).AddArgument($Image).Invoke() | Select-Object -First 1
    if (-not $sandbox) { throw "Start-DbSandbox -Container -Image $Image failed: $($serverShell.Streams.Error[0])" }
    Write-Host "Pester suites against Start-DbSandbox -Container: $($sandbox.Version) on 127.0.0.1:$($sandbox.Port)"
    # The suites' one server; Sandbox.Tests.ps1 starts its own containers of the same image.
    $env:PGUSERS_TEST_URL = $sandbox.Url.RenderAsString($false)
    $env:PGUSERS_TEST_IMAGE = $Image
}
try {
    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
}
finally {
    $env:PGUSERS_TEST_URL, $env:PGUSERS_TEST_IMAGE = $saved
    if ($serverShell) {
        $serverShell.Commands.Clear()
        $null = $serverShell.AddScript('Stop-DbSandbox').Invoke()
        $serverShell.Runspace.Dispose()
        $serverShell.Dispose()
    }
}
"$($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') { throw "Pester: $($result.FailedCount) test(s) failed." }
