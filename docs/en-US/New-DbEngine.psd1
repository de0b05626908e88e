@{
    Name        = 'New-DbEngine'
    Synopsis    = 'Creates a lazily-filled, bounded connection pool for a URL and makes it this session''s default engine.'
    Description = @'
New-DbEngine is SQLAlchemy's create_engine with its QueuePool. It returns a PgUsers.DbEngine
that owns a pool of connections to the server named by -Url.

The engine is lazy: creating it opens no connection, and a bad host or password shows up on
the first command that needs a connection. Bad option values (an unknown query option, a
pool size of 0) are rejected at once.

The password is the URL's, else its service's, else PGPASSWORD's; with none of these and no
-PasswordProvider, the password file is read once, when the engine is made, by libpq's rules:
the passfile option, else PGPASSFILE, else ~/.pgpass. A missing file is ignored; on Unix a file
that its group or others may read is not used, with libpq's warning; lines that do not parse are
skipped; each host of a multi-host URL is looked up on its own. After changing the file, make a
new engine.

The pool is bounded. At most PoolSize + MaxOverflow connections exist at once. A caller that
needs one more waits up to PoolTimeout seconds, then gets an error of id PgUsers.PoolTimeout
that names the three settings, in SQLAlchemy's words: "QueuePool limit of size 5 overflow 10
reached, connection timed out, timeout 30.00". At most PoolSize idle connections are kept;
overflow connections are closed soon after they are returned. A connection older than
PoolRecycle seconds is replaced instead of reused. With -PrePing a reused connection is
checked before it is handed out, and a dead one (server restarted, backend terminated) is
replaced without an error.

The newest engine made in a PowerShell session (runspace) becomes that session's default:
every PgUsers cmdlet called without -Engine or -Session uses it. Other runspaces are not
affected. One engine may be shared by many runspaces at once, for example with
ForEach-Object -Parallel and $using:engine; its pool bounds them all together.

The engine shows its live pool state (Size, CheckedOut, Idle, Overflow), its URL with the
password masked, and Hosts: each host of the URL with the role it was last seen in (primary,
primary (read-only), standby, unreachable, or unknown until a connection says).

A URL with several hosts (libpq's host1:5432,host2:5432 or repeated ?host=) makes one pool over
all of them: target_session_attrs and load_balance_hosts=random choose the server as psql would,
and -TargetSessionAttrs on each database cmdlet picks the kind of server per call or per unit of
work. See about_PgUsers for routing, failover and PgBouncer. Remove-DbEngine, or removing the module, closes its connections.

For cloud databases that take short-lived tokens as passwords (AWS RDS IAM, Azure Entra ID),
-PasswordProvider gives a script block that the pool calls for each new physical connection
(not for each command: a reused connection needs no password), with the host and the user
name as arguments; its last output, a string or a SecureString, is the password. The pool
stays one pool, its bounds unchanged. The token never enters the URL, the engine's display,
-Verbose or an error. The block keeps PowerShell's meaning of a script block: a block made
with GetNewClosure() sees the variables it captured, and a plain block sees the variables of
the script that made the engine (its session state), whichever runspace sharing the engine
needs the connection. It runs on the pipeline thread of the command that needs the
connection, one call at a time per engine. A block that throws, writes an error or outputs
nothing fails that command with PgUsers.PasswordProviderFailed, carrying the block's own
message and never a password; no connection is attempted. It replaces any password from
PGPASSWORD or a service; a URL with a password and -PasswordProvider is an error
(PgUsers.PasswordAndProvider).
'@
    Parameters  = @{
        Url         = @'
The server to connect to: a DbUrl from New-DbUrl, a URL string such as
postgresql://user:pass@host/db, or a sandbox from Start-DbSandbox (its Url is used). A string
that is not a valid URL is rejected without echoing its password. Query options that Npgsql
cannot map are rejected with an error of id PgUsers.InvalidUrlOption that names the option.
'@
        PoolSize    = 'The number of connections kept open when idle, 1 to 10000.'
        MaxOverflow = @'
The number of extra connections allowed beyond PoolSize under load, 0 to 10000. They are
closed soon after they are returned to the pool. 0 caps the engine at exactly PoolSize
connections.
'@
        PoolTimeout = @'
Seconds a caller waits for a free connection when PoolSize + MaxOverflow are all in use,
before the PgUsers.PoolTimeout error. Fractions are allowed (0.5); from 0.001 to 86400.
When the URL sets no connect_timeout, opening a new connection is bounded by it too (rounded
up to whole seconds): a server that accepts and never answers gives PgUsers.ConnectTimeout,
naming the host and port, after PoolTimeout seconds.
'@
        PoolRecycle = @{
            Description = @'
Seconds after which a connection is closed and replaced instead of reused, for servers or
proxies that drop old connections. -1 (the default) means never. Otherwise at least 1.
'@
            Default     = '-1 (never)'
        }
        PrePing     = @'
Check each reused connection with a round trip before handing it out. A dead connection is
replaced invisibly, together with the older idle ones, instead of failing the command. Costs
one round trip per checkout; useful after server restarts or with idle-killing proxies.
'@
        ResetOnReturn = @'
What the pool resets when a connection comes back. Discard (the default) sends DISCARD ALL in
the background as the connection comes back, so no command waits for it: each command starts
on a connection with nothing left by another command (no SET or SET ROLE, temporary table,
advisory lock, LISTEN, prepared statement or open cursor). A checkout waits only when every
idle connection is still being reset, and a connection whose reset fails is closed, never
handed out. Rollback is SQLAlchemy's pool_reset_on_return='rollback': only the transaction is
rolled back, and everything else a command set on its connection carries over to whichever
command gets it next - session settings (SET, SET ROLE), temporary tables, session advisory
locks, LISTEN registrations, prepared statements and cursors WITH HOLD. Use it only when every
command on the engine leaves its connection as it found it.
'@
        PasswordProvider = @'
A script block, param($HostName, $Username), that returns the password for each new physical
connection, for example a fresh cloud access token. It sees the variables it captured with
GetNewClosure(), or those of the script that made the engine.
'@
        Name        = @'
A name to find the engine by with Get-DbEngine -Name or Remove-DbEngine -Name. Without it
the engine is named engine1, engine2, ...
'@
    }
    Inputs      = @(
        @{ Type = 'PgUsers.DbUrl'; Description = 'A URL piped by value, or an object with a Url property (by property name).' }
        @{ Type = 'System.String'; Description = 'A URL string piped by value.' }
        @{ Type = 'PgUsers.DbSandbox'; Description = 'A sandbox from Start-DbSandbox; its Url is used.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbEngine'; Description = @'
The engine: Name, Url (masked), PoolSize, MaxOverflow, PoolTimeout, PoolRecycle, PrePing, ResetOnReturn, the
live Size, CheckedOut, Idle and Overflow, Hosts (each host of the URL with its last seen role), and
IsDisposed.
'@ }
    )
    Notes       = @'
Built on Npgsql's own pool (NpgsqlDataSource): Maximum Pool Size is PoolSize + MaxOverflow,
Minimum Pool Size is PoolSize, Connection Lifetime is PoolRecycle (0 for never) and Timeout is
PoolTimeout. No Reset On Close is on: the reset is the pool's own (-ResetOnReturn), sent when a
connection comes back rather than ahead of the next command's statement. A connection being
reset counts as Idle and holds its place under PoolSize + MaxOverflow until the reset is done.
'@
    Examples    = @(
        @{
            Title   = 'A fresh Azure Entra ID token for each new connection'
            Code    = @'
$url = New-DbUrl -Url 'postgresql://app@mydb.postgres.database.azure.com/sales?sslmode=require'
$engine = New-DbEngine $url -PasswordProvider {
    param($HostName, $Username)
    (Get-AzAccessToken -ResourceUrl 'https://ossrdbms-aad.database.windows.net' -AsSecureString).Token
}
'@
            Remarks = @'
The block runs only when the pool opens a new connection, so a pool of 5 busy runspaces asks
for a token about 5 times, not once per query; tokens are never shown. For AWS RDS IAM use
Get-RDSAuthToken (AWS.Tools.RDS) the same way.
'@
        }
        @{
            Title   = 'The quickstart engine'
            Code    = @'
$url = New-DbUrl -Url 'postgresql://notebook:notebook@localhost:5432/notebook'
$engine = New-DbEngine $url -PoolSize 10 -MaxOverflow 20 -PoolRecycle 3600
Invoke-DbQuery 'SELECT version()' -Scalar
$engine
'@
            Output  = @'
Name    Url                                                Pool  Size CheckedOut Idle Overflow
----    ---                                                ----  ---- ---------- ---- --------
engine1 postgresql://notebook:***@localhost:5432/notebook  10+20    1          0    1        0
'@
            Remarks = @'
Up to 10 connections are kept, up to 20 more are allowed under load, and each is replaced
after an hour. Nothing is opened until Invoke-DbQuery needs a connection; the engine is the
session default, so Invoke-DbQuery does not need -Engine.
'@
        }
        @{
            Title   = 'Two engines side by side, one named'
            Code    = @'
New-DbEngine 'postgresql://report@replica.example.com/sales' -Name replica -PrePing | Out-Null
$primary = New-DbEngine 'postgresql://app@primary.example.com/sales' -Name primary
$replica = Get-DbEngine replica
Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar -Engine $replica
Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar          # on primary, the newest engine
'@
            Remarks = @'
The newest engine is the default; others are used with -Engine. The URLs carry no password:
it comes from PGPASSWORD when connecting, as in psql.
'@
        }
        @{
            Title   = 'Share one engine between parallel runspaces'
            Code    = @'
$engine = New-DbEngine $env:PGUSERS_URL -PoolSize 4 -MaxOverflow 0 -PoolTimeout 60
1..100 | ForEach-Object -ThrottleLimit 16 -Parallel {
    Invoke-DbQuery 'SELECT @n * 2 AS doubled' @{ n = $_ } -Engine $using:engine
} | Export-Csv doubled.csv -NoTypeInformation
'@
            Remarks = @'
Sixteen runspaces share the engine, but the server never sees more than 4 connections: the
other runspaces wait (up to 60 seconds) for a free one.
'@
        }
        @{
            Title   = 'One engine for a primary and its replicas, with failover'
            Code    = @'
$url = 'postgresql://app@db1.example.com,db2.example.com,db3.example.com/sales?target_session_attrs=read-write'
$engine = New-DbEngine $url -Name sales
Invoke-DbQuery 'UPDATE orders SET shipped = true WHERE id = @id' @{ id = 42 }       # on the primary
Invoke-DbQuery 'SELECT count(*) FROM orders' -Scalar -TargetSessionAttrs prefer-standby
$engine.Hosts                                                                      # each host's last seen role
'@
            Remarks = @'
The URL's target_session_attrs is the default kind of server; -TargetSessionAttrs sends one call
elsewhere through the same pool and bound. When the primary goes and a standby is promoted, calls
in between fail with PgUsers.ConnectionLost and the first call after the promotion writes again:
a lost connection makes the engine re-check every host's role at once, and roles are never
trusted for more than 2 seconds.
'@
        }
    )
    Links       = @('New-DbUrl', 'Get-DbEngine', 'Remove-DbEngine', 'Invoke-DbQuery')
}
