# Parameter text shared by several cmdlets; a cmdlet's own psd1 overrides an entry by naming it.
@{
    Parameters = @{
        Engine            = @'
The engine (from New-DbEngine) to run on, instead of this session's default engine. The
command checks a connection out of the engine's pool, runs as its own transaction, and returns
the connection before it ends. Cannot be combined with -Session. A URL works too (a DbUrl, a
URL string or a sandbox): the first call makes an engine with New-DbEngine's defaults for it,
and later calls in the same session with the same URL share that engine's pool; it does not
become the default engine. A string that is not a valid URL is refused without quoting it.
'@
        Session           = @'
The unit of work (from New-DbSession) to run in. The command uses the session's connection
and transaction: nothing it does is durable until the session's Commit(). Cannot be combined
with -Engine. Inside a Use-DbSession block the block's session is used without naming it.
A URL is refused here (without quoting it): pass it to -Engine.
'@
        TargetSessionAttrs = @'
The kind of server this call runs on, in libpq's target_session_attrs words: any, read-write,
read-only, primary, standby, prefer-standby (a standby when one answers, else any server) or
prefer-primary. Omitted, the engine's URL decides (its target_session_attrs option, else any).
With a multi-host URL the engine picks a host of that kind out of the same pool, under the same
PoolSize + MaxOverflow bound, so one engine serves both writes and replica reads. A single-host
engine checks its one server instead: asking a primary for standby (or read-only) is an error
of id PgUsers.NoSuitableServer, never a silent write to the primary. When no host is of that
kind the error is PgUsers.NoSuitableServer, or PgUsers.ConnectionLost when one was before (a
failover under way: retry). Inside a unit of work the call runs where the unit runs: naming
another kind there is an error of id PgUsers.TargetInSession; give -TargetSessionAttrs to
Use-DbSession or New-DbSession instead.
'@
        WhatIf            = 'Shows what the cmdlet would do, without doing it.'
        Confirm           = 'Asks for confirmation before the cmdlet makes its change.'
        First             = 'Returns only the first N objects (after -Skip). The limit is applied by the server (LIMIT), so no extra rows are read.'
        Skip              = 'Skips the first N objects before returning any. The offset is applied by the server (OFFSET).'
        IncludeTotalCount = @'
Writes the total number of matching objects (ignoring -First and -Skip) before the objects
themselves, as a UInt64 that PowerShell wraps with an Accuracy of 1.0 (exact).
'@
    }
}
