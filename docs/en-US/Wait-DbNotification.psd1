@{
    Name        = 'Wait-DbNotification'
    Synopsis    = 'Listens on channels and writes each notification into the pipeline as it arrives.'
    Description = @'
Wait-DbNotification checks one connection out of the engine's pool, runs LISTEN on each
channel, and writes a PgUsers.DbNotification object (Channel, Payload, ProcessId of the sending
backend, ReceivedAt) into the pipeline for each notification, in the order the server sent
them. It is listening before it waits for the first one: a NOTIFY sent from then on is not
missed.

It ends at -Count notifications, at -Timeout seconds (no error: the pipeline just ends), at
Ctrl+C, or when a downstream command such as Select-Object -First has what it needs. However it
ends, it runs UNLISTEN * on its connection itself and returns the connection to the pool, so
nothing is left listening. Without -Count or -Timeout it waits until stopped.

The listening connection is held for the command's whole life: it counts in the engine's
CheckedOut and against PoolSize + MaxOverflow. With a multi-host engine it listens on the
primary (a standby cannot LISTEN).

If the connection is lost while waiting (a server restart, a killed backend, a failover, a
peer that stopped answering the keepalive ping sent after 15 idle seconds), it reconnects with
backoff (0.1 s, doubling up to 5 s), listens again, writes a warning that notifications sent in
the gap may be lost (PostgreSQL keeps none for a listener that is not connected), and goes on.
Only what retrying cannot mend (the engine removed, a refused password) ends it with an error.

PgBouncer in transaction mode cannot carry LISTEN: pass a direct URL to the server with -Engine.

Channel names are taken literally, as Send-DbNotification takes them: mixed case, spaces and
quotes work (each name is sent as a quoted identifier, never spliced).
'@
    Parameters  = @{
        Channel = 'The channels to listen on, taken literally (case, spaces and quotes kept); at most 63 bytes each.'
        Count   = 'Ends after this many notifications.'
        Timeout = 'Ends after this many seconds in all (fractions allowed), without an error; the notifications received until then are written.'
        AsJson  = @'
Parses each payload as JSON: objects become PSCustomObjects and arrays object[], as
ConvertFrom-Json makes them. A payload that is not JSON is a non-terminating error of id
PgUsers.InvalidJson (the notification is its target) and the wait goes on.
'@
        Engine  = @'
The engine whose pool lends the listening connection, instead of this session's default engine
(or a URL, which gets an engine of its own, made once per session and URL). Behind PgBouncer in
transaction mode, pass a direct URL to the server here.
'@
    }
    Inputs      = @(
        @{ Type = 'None'; Description = 'Wait-DbNotification takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbNotification'; Description = 'One per notification received, in order: Channel, Payload (text, or parsed JSON with -AsJson), ProcessId, ReceivedAt.' }
    )
    Examples    = @(
        @{
            Title   = 'Wait for the next job, for at most a minute'
            Code    = @'
$job = Wait-DbNotification new_job -Count 1 -Timeout 60
if ($job) { "Job $($job.Payload) arrived at $($job.ReceivedAt)" } else { 'No job within a minute.' }
'@
            Remarks = 'Instead of a loop of Start-Sleep and SELECT: the command returns as soon as the notification arrives.'
        }
        @{
            Title   = 'Process JSON notifications as a stream'
            Code    = @'
Wait-DbNotification orders, refunds -AsJson |
    Where-Object { $_.Payload.amount -gt 100 } |
    ForEach-Object { "$($_.Channel): $($_.Payload.id) for $($_.Payload.amount)" }
'@
            Remarks = 'Runs until Ctrl+C, which unlistens and returns the connection. A lost connection is replaced, with a warning about the gap.'
        }
        @{
            Title   = 'Take the first three and stop'
            Code    = @'
Wait-DbNotification cache_invalidated | Select-Object -First 3 | Format-Table
'@
            Output  = @'
ReceivedAt   Channel           ProcessId Payload
----------   -------           --------- -------
10:02:11.402 cache_invalidated     48211 users
10:02:15.930 cache_invalidated     48211 orders
10:02:16.004 cache_invalidated     48305 users
'@
            Remarks = 'Select-Object -First ends the wait after the third; nothing is left listening.'
        }
    )
    Links       = @('Send-DbNotification', 'Register-DbNotification', 'about_PgUsers')
}
