@{
    Name        = 'Start-DbSandbox'
    Synopsis    = 'Starts a throwaway PostgreSQL server on 127.0.0.1 and a free port, from local binaries or in a container, for trying the module and for tests.'
    Description = @'
Start-DbSandbox starts a private PostgreSQL server and returns a PgUsers.DbSandbox whose Url
connects to it as a superuser (user pgusers, a random password, database postgres). Pass the
sandbox, or its Url, to New-DbEngine.

It uses the local server binaries when it finds initdb and pg_ctl: in -BinDirectory, on the
PATH, in the folder that pg_config --bindir names, or in the newest /usr/lib/postgresql/*/bin.
The cluster is created in a new temporary folder; when the process runs as root, initdb and
pg_ctl run as the postgres user (initdb refuses to run as root). When no binaries are found
and a container engine answers, it runs the server in a container instead, as -Container does.
Otherwise it fails with an error of id PgUsers.SandboxFailed that says what to install.

With -Container (or -Image) it runs PostgreSQL in a container through the docker command, on
whichever engine answers it: Docker Engine, Docker Desktop, or Podman's API service (point
DOCKER_HOST at its socket; about_PgUsers shows how on a laptop). The image is the official
postgres:15 unless -Image names another that keeps its contract (POSTGRES_USER and
POSTGRES_PASSWORD; server options after the image). The port is published on 127.0.0.1 only;
the password reaches the container through the docker client's environment, never its command
line; the command returns once the server accepts that password through the published port.
The container carries the label pgusers.sandbox. When no engine answers, the error, of id
PgUsers.NoContainerEngine, quotes what 'docker info' said.

With -Standby N it also starts N streaming replicas of that server: each is copied by
pg_basebackup -R and runs on its own free port, following the primary. With -Pooler it starts
PgBouncer (Debian's pgbouncer package, found on the PATH or in /usr/sbin) in transaction mode in
front of the primary, as the postgres user when the process is root, in a folder of its own.
Both need local binaries (no container fallback). The sandbox then gives every URL: Url (the
primary), StandbyUrls, MultiHostUrl (the primary, then each standby: add target_session_attrs
or pass -TargetSessionAttrs to choose), and PoolerUrl. Primary, Standbys and Pooler are the
processes themselves: a standby's Promote() and a server's Stop() play a failover on one machine.

The servers are stopped and their files (or container) deleted by Stop-DbSandbox, by removing
the module, or when the PowerShell process exits, even when it is killed (a watchdog process
sees to it).
Nothing of it is meant to be kept.
'@
    Parameters  = @{
        BinDirectory = @'
The folder that holds initdb and pg_ctl, when they are not found on their own (for example
/usr/lib/postgresql/16/bin). A folder without them is an error of id PgUsers.SandboxFailed;
no container fallback is tried then.
'@
        Container    = @'
Runs the server in a container through the docker client, even when local binaries exist. Not
with -BinDirectory, -Standby or -Pooler, which need local binaries.
'@
        Image        = @'
The container image to run (implies -Container): postgres:15, the official image, by default.
Any image that keeps the official image's POSTGRES_USER and POSTGRES_PASSWORD contract works;
the engine pulls it on first use where a registry is reachable.
'@
        Standby      = @'
How many streaming standbys of the primary to start, from 0 (the default) to 8. Each is a
pg_basebackup -R copy on its own port; their URLs are in StandbyUrls and MultiHostUrl.
'@
        Pooler       = @'
Also starts PgBouncer in transaction mode in front of the primary; its URL is PoolerUrl. Without
pgbouncer installed the command fails with an error of id PgUsers.SandboxFailed naming the
package. Through it, run everything that needs one connection inside one unit of work: see
about_PgUsers for what transaction mode allows.
'@
    }
    Inputs      = @(
        @{ Type = 'None'; Description = 'Start-DbSandbox takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbSandbox'; Description = @'
The running sandbox: Url (a DbUrl, password masked when shown), Port, Kind (Local or
Container), Version, Directory (the cluster's folder, for the Local kind), Container and Image
(the container's id and image, for the Container kind) and IsRunning; with -Standby and
-Pooler also StandbyUrls, MultiHostUrl, PoolerUrl and the PgUsers.DbSandboxServer processes
Primary, Standbys and Pooler (Role, Url, Port, Directory, IsRunning, Promote(), Stop()).
'@ }
    )
    Examples    = @(
        @{
            Title   = 'Try the module without a server of your own'
            Code    = @'
$sandbox = Start-DbSandbox
New-DbEngine $sandbox | Out-Null
Initialize-DbUserTable
Invoke-DbQuery "INSERT INTO users (telegram_id, full_name, language_code) VALUES (1, 'John Doe', 'en')"
Get-DbUser
Stop-DbSandbox $sandbox
'@
            Remarks = 'A complete round trip on a server that exists only for these lines.'
        }
        @{
            Title   = 'A server for a test run, or the one CI gives'
            Code    = @'
$sandbox = if ($env:PGUSERS_TEST_URL) { $null } else { Start-DbSandbox -Verbose }
$url = if ($sandbox) { $sandbox.Url } else { $env:PGUSERS_TEST_URL }
try {
    $engine = New-DbEngine $url
    Invoke-DbQuery 'SELECT version()' -Scalar
}
finally {
    Remove-DbEngine $engine
    if ($sandbox) { Stop-DbSandbox $sandbox }
}
'@
            Remarks = @'
The pattern the module's own Pester suites use. -Verbose shows which binaries or image were
used and the URL (password masked).
'@
        }
        @{
            Title   = 'Name the binaries explicitly'
            Code    = @'
Start-DbSandbox -BinDirectory /usr/lib/postgresql/16/bin | Format-List Kind, Version, Port, Directory
'@
            Remarks = 'Useful when several PostgreSQL versions are installed side by side.'
        }
        @{
            Title   = 'A server in a container, on Docker or Podman'
            Code    = @'
$sandbox = Start-DbSandbox -Container -Verbose
$sandbox | Format-List Kind, Container, Image, Version, Port
Invoke-DbQuery 'SELECT version()' -Scalar -Engine (New-DbEngine $sandbox)
Stop-DbSandbox $sandbox      # removes the container
'@
            Remarks = @'
Needs an engine that 'docker info' reaches: Docker Desktop as installed, or Podman with
DOCKER_HOST set to its API socket (see about_PgUsers). -Image runs another image, such as
one built for tests.
'@
        }
        @{
            Title   = 'A primary, a streaming standby and PgBouncer on one machine'
            Code    = @'
$sandbox = Start-DbSandbox -Standby 1 -Pooler
New-DbEngine $sandbox.MultiHostUrl | Out-Null
Invoke-DbQuery 'CREATE TABLE notes(id int PRIMARY KEY, body text)'            # lands on the primary
Invoke-DbQuery 'SELECT pg_is_in_recovery() AS on_standby, inet_server_port() AS port' -TargetSessionAttrs standby
Invoke-DbQuery 'SELECT 1 AS through_pgbouncer' -Engine (New-DbEngine $sandbox.PoolerUrl)
Stop-DbSandbox $sandbox
'@
            Remarks = @'
Writes go to the primary and reads with -TargetSessionAttrs standby to the replica, out of one
engine. Stop-DbSandbox stops the pooler, the standby and the primary.
'@
        }
    )
    Links       = @('Stop-DbSandbox', 'New-DbEngine')
}
