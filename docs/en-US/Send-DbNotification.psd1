@{
    Name        = 'Send-DbNotification'
    Synopsis    = 'Sends a PostgreSQL notification (NOTIFY) on a channel, with a text or JSON payload.'
    Description = @'
Send-DbNotification calls pg_notify with the channel and the payload as bound values: nothing
is spliced into SQL text. Every session listening on the channel (Wait-DbNotification,
Register-DbNotification, or any other client's LISTEN) receives it.

A string payload is sent as it is. Any other object is sent as JSON, in ConvertTo-Json's shapes
without its depth cut-off: a PSCustomObject or hashtable as an object, an array as an array, a
typed object (a User from Get-DbUser, a row from Invoke-DbQuery) as an object of its
properties, a number or $true as itself. Without -Payload the payload is empty.

PostgreSQL takes payloads shorter than 8000 bytes. A longer one (counted in UTF-8 bytes, so
'é' counts two) is refused before anything is sent, with an error of id PgUsers.PayloadTooLong
and category LimitsExceeded: send a key and let the listener read the rest from a table.

Inside a unit of work (Use-DbSession, -Session) the notification is delivered when the unit
commits, as PostgreSQL delivers NOTIFY, and never if it rolls back. Outside one, each
notification is delivered as it is sent. Pipeline input sends one notification per object, on
one connection; a payload that cannot be sent is that object's non-terminating error and the
others still go.

Channel names are taken literally, case and quotes included (pg_notify does not fold them to
lower case as an unquoted LISTEN name would be); Wait-DbNotification and
Register-DbNotification take them the same way. An empty name, or one longer than 63 bytes, is
refused with PgUsers.InvalidChannel. With a multi-host engine the notification goes to the
primary: a standby cannot NOTIFY.
'@
    Parameters  = @{
        Channel = 'The channel to notify, taken literally (case, spaces and quotes kept); at most 63 bytes.'
        Payload = @'
The payload: a string as it is, any other object as JSON; at most 7999 bytes. Takes pipeline
input: one notification per piped object.
'@
        Engine  = 'The engine to send through, instead of this session''s default engine (or a URL, which gets an engine of its own, made once per session and URL). Cannot be combined with -Session.'
    }
    Inputs      = @(
        @{ Type = 'System.Object'; Description = 'Payloads: one notification per object (strings as they are, other objects as JSON).' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'Send-DbNotification writes nothing to the pipeline; -Verbose says how many it sent.' }
    )
    Examples    = @(
        @{
            Title   = 'Tell listeners that a cache must be dropped'
            Code    = @'
Send-DbNotification cache_invalidated 'users'
'@
            Remarks = 'Every session listening on cache_invalidated receives a notification whose Payload is the text users.'
        }
        @{
            Title   = 'Send objects as JSON, delivered only if the change commits'
            Code    = @'
Use-DbSession {
    Set-DbUser -TelegramId 42 -LanguageCode de
    Get-DbUser -TelegramId 42 | Send-DbNotification user_changed
}
Wait-DbNotification user_changed -AsJson -Count 1 | ForEach-Object { $_.Payload.LanguageCode }
'@
            Output  = 'de'
            Remarks = @'
The user object travels as JSON ({"TelegramId":42,"FullName":...}). Inside Use-DbSession the
notification goes out at commit: a listener never hears of a change that was rolled back.
(The Wait-DbNotification here would run in another session or script.)
'@
        }
        @{
            Title   = 'Announce each line of a file'
            Code    = @'
Get-Content jobs.txt | Send-DbNotification new_job -Verbose
'@
            Remarks = 'One notification per line, each delivered as it is sent; a line over 7999 bytes gets its own error and the rest still go.'
        }
    )
    Links       = @('Wait-DbNotification', 'Register-DbNotification', 'about_PgUsers')
}
