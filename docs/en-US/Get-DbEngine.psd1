@{
    Name        = 'Get-DbEngine'
    Synopsis    = 'Lists the engines made in this PowerShell session, newest (the default) first.'
    Description = @'
Get-DbEngine returns the live engines that New-DbEngine made in the current session
(runspace), newest first; the first one is the session's default engine, used by every
PgUsers cmdlet called without -Engine or -Session. Engines that were removed are not listed.

Use it to find an engine by name, to look at the pools' live state (Size, CheckedOut, Idle,
Overflow), or to pipe engines into Remove-DbEngine. A name without wildcards that matches no
engine writes a non-terminating error of id PgUsers.EngineNotFound.
'@
    Parameters  = @{
        Name    = @'
Names of the engines to return (New-DbEngine -Name, or the generated engine1, engine2, ...).
Wildcards are allowed and matching ignores case. Without -Name every engine is returned.
'@
        Default = 'Returns only the session''s default engine, or nothing when there is none.'
    }
    Inputs      = @(
        @{ Type = 'None'; Description = 'Get-DbEngine takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbEngine'; Description = 'The engines, newest first, shown as a table of their pool state.' }
    )
    Examples    = @(
        @{
            Title   = 'See every pool''s live state'
            Code    = @'
Get-DbEngine
'@
            Output  = @'
Name    Url                                            Pool  Size CheckedOut Idle Overflow
----    ---                                            ----  ---- ---------- ---- --------
reports postgresql://report:***@replica:5432/sales     5+10     2          0    2        0
engine1 postgresql://app:***@primary:5432/sales        10+20   12          3    9        2
'@
            Remarks = @'
The first engine listed is the default. Size counts open connections, CheckedOut those in
use right now, Overflow those beyond PoolSize that will close when returned.
'@
        }
        @{
            Title   = 'Find a leak: engines with connections still checked out'
            Code    = @'
Get-DbEngine | Where-Object CheckedOut -gt 0 |
    ForEach-Object { [pscustomobject]@{ Engine = $_.Name; InUse = $_.CheckedOut; Url = "$($_.Url)" } } |
    ConvertTo-Json
'@
            Remarks = @'
Between commands every PgUsers cmdlet has returned its connection, so a non-zero CheckedOut
means a session (New-DbSession) is still open or a command is running in another runspace.
'@
        }
        @{
            Title   = 'Use a named engine for one command'
            Code    = @'
Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar -Engine (Get-DbEngine reports)
(Get-DbEngine -Default).Name
'@
            Remarks = 'Commands run on the named engine; the default engine stays the newest one.'
        }
    )
    Links       = @('New-DbEngine', 'Remove-DbEngine')
}
