@{
    Name        = 'Remove-DbEngine'
    Synopsis    = 'Disposes engines: their pooled connections close, and the next newest engine becomes the default.'
    Description = @'
Remove-DbEngine disposes the engines you give (by object, by name, or all of this session's),
closing every connection in their pools. A removed engine cannot be used again: a command
given it with -Engine fails with an error of id PgUsers.EngineDisposed. When the removed
engine was the session's default, the newest engine still alive becomes the default; when
none is left, cmdlets called without -Engine fail with PgUsers.NoEngine until New-DbEngine
is called again.

Removing the module (Remove-Module PgUsers) disposes every engine it made, so scripts that
import the module for a job do not leave connections open on the server.
'@
    Parameters  = @{
        Engine = 'The engines to dispose, as returned by New-DbEngine or Get-DbEngine. Accepts pipeline input.'
        Name   = @'
Names of this session's engines to dispose. Wildcards are allowed and matching ignores case. A
name that matches nothing is silently ignored.
'@
        All    = 'Disposes every engine this session made.'
    }
    Inputs      = @(
        @{ Type = 'PgUsers.DbEngine'; Description = 'Engines piped by value, for example from Get-DbEngine.' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'Remove-DbEngine returns nothing. With -Verbose it tells which engines it disposed.' }
    )
    Examples    = @(
        @{
            Title   = 'Close the engine a script made, whatever happens'
            Code    = @'
$engine = New-DbEngine $env:PGUSERS_URL
try {
    Invoke-DbQuery 'SELECT * FROM users WHERE language_code = :lang' @{ lang = 'en' } |
        Export-Csv english-users.csv -NoTypeInformation
}
finally {
    Remove-DbEngine $engine
}
'@
            Remarks = 'The finally block closes the pool''s connections even when the export fails.'
        }
        @{
            Title   = 'Remove engines by name, or all of them'
            Code    = @'
Remove-DbEngine -Name 'tmp*' -WhatIf
Get-DbEngine | Where-Object Idle -eq 0 | Remove-DbEngine
Remove-DbEngine -All -Verbose
'@
            Remarks = @'
-WhatIf shows which engines would be disposed. Engines can also be piped in from Get-DbEngine.
-All -Verbose disposes the rest and says so for each.
'@
        }
    )
    Links       = @('New-DbEngine', 'Get-DbEngine')
}
