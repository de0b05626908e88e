@{
    Name        = 'Register-DbNotification'
    Synopsis    = 'Listens on channels in the background and raises a PowerShell event for each notification.'
    Description = @'
Register-DbNotification is Register-ObjectEvent for LISTEN/NOTIFY. It checks one connection out
of the engine's pool, runs LISTEN on each channel before it returns (a NOTIFY sent after it
returns is not missed), and then listens on a background thread while the prompt stays free.
PowerShell's event manager queues events raised on a background thread through its thread
pool, so notifications that arrive close together may be queued (and their -Action run) in
either order; Wait-DbNotification keeps the server's order.

Each notification becomes a PowerShell event of the -SourceIdentifier: $Event.SourceEventArgs
(and $EventArgs in -Action) is the PgUsers.DbNotification (Channel, Payload, ProcessId,
ReceivedAt), $Event.Sender is the PgUsers.DbNotificationSource (its Channels and Engine), and
$Event.MessageData is -MessageData. Without -Action the events queue for Get-Event and
Wait-Event (remove each with Remove-Event once handled); with -Action the script block runs
for each one and the command returns its job, as Register-ObjectEvent does.

Unregister-Event -SourceIdentifier stops the listener: it runs UNLISTEN * itself and returns
the connection to the pool before Unregister-Event returns. Closing the runspace or removing
the engine stops it too. Until then it holds its connection: it counts in the engine's
CheckedOut and against PoolSize + MaxOverflow.

With a multi-host engine it listens on the primary (a standby cannot LISTEN). If the connection
is lost (a restart, a killed backend, a failover, a peer that stopped answering the keepalive
ping sent after 15 idle seconds) it reconnects with backoff (0.1 s, doubling up to 5 s) and
listens again. Notifications sent in the gap may be lost, as PostgreSQL keeps none for a
listener that is not connected: each gap raises an event of source identifier
PgUsers.ListenGap whose MessageData says when and why, and whose SourceArgs name the
subscription (with -Action it is also a warning in the job: Receive-Job shows it). A listener
that cannot go on (its engine removed) says so the same way and unregisters itself.

PgBouncer in transaction mode cannot carry LISTEN: pass a direct URL to the server with -Engine.
'@
    Parameters  = @{
        Channel          = 'The channels to listen on, taken literally (case, spaces and quotes kept); at most 63 bytes each.'
        Action           = 'A script block to run for each notification ($EventArgs, or $Event.SourceEventArgs, is the DbNotification). With it, the command returns the subscription''s PSEventJob.'
        SourceIdentifier = 'The subscription''s name, for Get-Event, Wait-Event and Unregister-Event; a new GUID when omitted. A name already in use is refused (PgUsers.SubscriptionExists).'
        MessageData      = 'Any object, handed to each event as $Event.MessageData.'
        Engine           = @'
The engine whose pool lends the listening connection, instead of this session's default engine
(or a URL, which gets an engine of its own, made once per session and URL). Behind PgBouncer in
transaction mode, pass a direct URL to the server here.
'@
    }
    Inputs      = @(
        @{ Type = 'None'; Description = 'Register-DbNotification takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'System.Management.Automation.PSEventJob'; Description = 'With -Action: the job that runs it. Without -Action: nothing.' }
    )
    Examples    = @(
        @{
            Title   = 'Welcome each new user as a trigger announces them'
            Code    = @'
Register-DbNotification new_user -Action {
    $user = $EventArgs.Payload | ConvertFrom-Json
    Write-Host "Welcome, $($user.full_name)!"
} | Out-Null
'@
            Remarks = @'
A trigger on users runs pg_notify('new_user', row_to_json(NEW)::text) for each new row; the
action runs for each while the prompt stays free. The module's examples/Notifications.ps1 is
the whole flow.
'@
        }
        @{
            Title   = 'Queue notifications and handle them when ready'
            Code    = @'
Register-DbNotification jobs -SourceIdentifier jobs
# ... later
while ($event = Wait-Event jobs -Timeout 5) {
    "job $($event.SourceEventArgs.Payload)"
    Remove-Event -EventIdentifier $event.EventIdentifier
}
Unregister-Event jobs
'@
            Remarks = 'Unregister-Event unlistens and returns the connection.'
        }
        @{
            Title   = 'Be told of a gap'
            Code    = @'
Register-EngineEvent PgUsers.ListenGap -Action { Write-Warning $Event.MessageData } | Out-Null
'@
            Remarks = 'After a lost connection the listener reconnects and raises PgUsers.ListenGap: notifications sent while it was away may be lost.'
        }
    )
    Links       = @('Wait-DbNotification', 'Send-DbNotification', 'Register-ObjectEvent', 'Unregister-Event', 'about_PgUsers')
}
