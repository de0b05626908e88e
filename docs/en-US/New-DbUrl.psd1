@{
    Name        = 'New-DbUrl'
    Synopsis    = 'Builds, parses or changes a PostgreSQL connection URL that never shows its password.'
    Description = @'
New-DbUrl returns a PgUsers.DbUrl, the module's equivalent of SQLAlchemy's URL.create and
make_url. Build one from its parts (-Drivername, -Username, -Password or -Credential,
-HostName, -Port, -Database, -Query), parse a URL string with -Url, or pass an existing DbUrl
with -Url and change some parts: the object is immutable, so you get a changed copy and the
original stays as it was.

Parsing follows libpq (psql is the reference): every part is percent-decoded, IPv6 hosts are
written in brackets ([::1]), postgres:// is accepted, query parameters such as user, port,
dbname or host fill the parts the authority left out, several hosts may be given either as
h1:5432,h2:5433 or as repeated ?host= options, and postgresql:// alone means "all defaults".
Malformed URLs (bad percent-escapes, %00, an unclosed [, a query item without =) are
rejected with an error that names the wrong part and never echoes the password.

The password is masked as *** wherever the URL is shown: ToString(), "$url", the default
display, errors and -Verbose output. $url.RenderAsString($false) is the only way to see it,
percent-escaped, for example to hand the URL to another tool. Parsing a rendered URL gives back
an equal URL, whatever characters its parts hold.

Query options are kept as given; New-DbEngine applies each with libpq's meaning
(connect_timeout, application_name, sslmode with sslrootcert checked as libpq checks it, and
so on) and rejects one it cannot apply, naming it. Parts left empty fall back, when connecting, to the connection service the
URL names (-Service, or service= in the query, else PGSERVICE), then to libpq's environment
variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE...) and then to libpq's
defaults, as psql does.

Services are read from libpq's service files: the per-user file (PGSERVICEFILE, else
~/.pg_service.conf) first, then pg_service.conf in PGSYSCONFDIR (/etc/postgresql-common when
it is not set). A service is an INI section of libpq keywords, for example
[prod] host=db1.example.com port=5433 dbname=app sslmode=verify-full, one per line. What the
URL gives explicitly wins over the service, and the service wins over the environment. A
service that no file defines, a malformed line (named by file and line) and a keyword Npgsql
cannot honour are errors at New-DbEngine.
'@
    Parameters  = @{
        Url        = @'
A URL to start from: a string such as postgresql://user:pass@host:5432/db?sslmode=require,
or a DbUrl (for example from an earlier New-DbUrl). The other parameters change the parts
they name on a copy. Without -Url the URL starts empty, with the drivername postgresql.
'@
        Drivername = @'
The backend and driver: postgresql, postgres (normalized to postgresql), or postgresql+driver
(such as postgresql+psycopg2, so that SQLAlchemy URLs can be used as they are). Any other
backend, such as mysql, is an error.
'@
        Username   = 'The user name to connect as. When it is empty, libpq''s PGUSER and then the operating system user apply.'
        Password   = @'
The password, as a string or a SecureString. It is kept inside the object and never shown:
it is masked as *** by ToString(), RenderAsString() and every display. Prefer -Credential or a
SecureString in scripts, so that the password is not in the script's text, and because
PowerShell itself keeps a plain-string argument in $Error entries' InvocationInfo.
'@
        Credential = @'
The user name and password together, for example from Get-Credential or a secret store. When
given, it replaces -Username and -Password.
'@
        HostName   = @'
The server host name or IP address. Give several (each may carry its own :port, IPv6 in
brackets) for a multi-host URL; combine it with the query option target_session_attrs to pick
the primary. Parts that hold no port take -Port. Alias: Host.
'@
        Port       = 'The TCP port, 1 to 65535. When it is empty, PGPORT and then 5432 apply.'
        Database   = 'The database name. When it is empty, PGDATABASE and then the user name apply, as in psql.'
        Service    = @'
A connection service from pg_service.conf, the same as service=name in the URL's query. Its
host, port, dbname, user, password and options fill what the URL leaves empty; $null or an
empty string removes the service from a copied URL.
'@
        Query      = @'
Connection options as a hashtable, such as @{ sslmode = 'require'; application_name =
'nightly-report'; connect_timeout = 10 }. An array value repeats the key. Keys given replace
the same keys of -Url; other keys of -Url are kept. Options the engine understands: sslmode,
sslcert, sslkey, sslrootcert, sslpassword, channel_binding, gssencmode, application_name,
connect_timeout, target_session_attrs, load_balance_hosts, options, client_encoding,
keepalives, keepalives_idle, keepalives_interval, krbsrvname, passfile; New-DbEngine rejects
any other.
'@
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'A URL string to parse, piped by value (same as -Url).' }
        @{ Type = 'PgUsers.DbUrl'; Description = 'A URL to copy, piped by value (same as -Url).' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbUrl'; Description = @'
An immutable URL with Drivername, Username, HasPassword, HostName, Port, Hosts, Database and
Query, and the methods RenderAsString([bool] hidePassword = $true) and ToString().
'@ }
    )
    Notes       = @'
The object is the same for every later cmdlet: New-DbEngine takes it (or the string) as -Url.
Equal URLs compare equal with -eq.
'@
    Examples    = @(
        @{
            Title   = 'Connect through a service of pg_service.conf'
            Code    = @'
# ~/.pg_service.conf
#   [reporting]
#   host=replica.db.internal
#   dbname=sales
#   user=report
#   sslmode=verify-full
$engine = New-DbEngine (New-DbUrl -Service reporting)
New-DbEngine 'postgresql:///?service=reporting&application_name=nightly'   # the same, named in the URL
'@
            Remarks = @'
The service gives what the URL leaves out; the URL's own application_name still wins. The
password can stay in ~/.pgpass, as with psql.
'@
        }
        @{
            Title   = 'Build a URL from its parts'
            Code    = @'
$url = New-DbUrl -Drivername 'postgresql+psycopg2' -Username notebook -Password notebook `
                 -HostName postgres -Port 5432 -Database notebook
$url.RenderAsString()
"$url"
$url.RenderAsString($false)
'@
            Output  = @'
postgresql+psycopg2://notebook:***@postgres:5432/notebook
postgresql+psycopg2://notebook:***@postgres:5432/notebook
postgresql+psycopg2://notebook:notebook@postgres:5432/notebook
'@
            Remarks = @'
The quickstart's URL. Both RenderAsString() and string interpolation mask the password;
RenderAsString($false) shows it, percent-escaped.
'@
        }
        @{
            Title   = 'Parse a URL and derive another one from it'
            Code    = @'
$prod    = New-DbUrl -Url 'postgresql://report:s3cr%40t@db.example.com:5432/sales?sslmode=require'
$archive = New-DbUrl -Url $prod -Database sales_archive -Query @{ application_name = 'archiver' }
$prod, $archive | ForEach-Object { "$_" }
'@
            Output  = @'
postgresql://report:***@db.example.com:5432/sales?sslmode=require
postgresql://report:***@db.example.com:5432/sales_archive?sslmode=require&application_name=archiver
'@
            Remarks = @'
The password s3cr@t is percent-decoded when parsed. The second URL is a changed copy: $prod is
not modified, and the query option that was not named (sslmode) is kept.
'@
        }
        @{
            Title   = 'A multi-host URL with credentials from a prompt or a secret store'
            Code    = @'
$cred = Get-Credential app
$url = New-DbUrl -Credential $cred -HostName 'pg1:5432', 'pg2:5433' -Database app `
                 -Query @{ target_session_attrs = 'read-write'; connect_timeout = 5 }
$url.Hosts
'@
            Remarks = @'
The engine connects to whichever host is the writable primary. The password comes from the
credential and is never in the script.
'@
        }
        @{
            Title   = 'Read connection strings from a CSV file and check them'
            Code    = @'
Import-Csv servers.csv | ForEach-Object { New-DbUrl -Url $_.url } |
    Where-Object { -not $_.HasPassword } |
    ForEach-Object { Write-Warning "No password in $_" }
'@
            Remarks = @'
A malformed URL stops the pipeline with an error of id PgUsers.InvalidUrl that names the
wrong part without showing any password.
'@
        }
    )
    Links       = @('New-DbEngine')
}
