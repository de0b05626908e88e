@{
    Name        = 'Stop-DbSandbox'
    Synopsis    = 'Stops sandbox servers and deletes their files: the ones given, or every one this session started.'
    Description = @'
Stop-DbSandbox stops the servers that Start-DbSandbox started and deletes their data folders
(or removes their containers). Without -Sandbox it stops every sandbox the current session
started. Stopping a sandbox that has already stopped does nothing.

Remove the engines that use a sandbox first (Remove-DbEngine): their connections break when
the server goes away.
'@
    Parameters  = @{
        Sandbox = 'The sandboxes to stop, as returned by Start-DbSandbox. Accepts pipeline input. When omitted, all of this session''s sandboxes are stopped.'
    }
    Inputs      = @(
        @{ Type = 'PgUsers.DbSandbox'; Description = 'Sandboxes piped by value.' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'Nothing. -Verbose tells which sandboxes were stopped.' }
    )
    Examples    = @(
        @{
            Title   = 'Stop one sandbox'
            Code    = @'
$sandbox = Start-DbSandbox
# ... work with it ...
Get-DbEngine | Remove-DbEngine
Stop-DbSandbox $sandbox -Verbose
'@
            Remarks = 'The engines go first, then the server and its temporary folder.'
        }
        @{
            Title   = 'Stop everything this session started'
            Code    = @'
Stop-DbSandbox -WhatIf
Stop-DbSandbox
'@
            Remarks = '-WhatIf lists what would be stopped; without -Sandbox every sandbox of this session is stopped.'
        }
    )
    Links       = @('Start-DbSandbox')
}
