@{
    Name        = 'Invoke-DbQuery'
    Synopsis    = 'Runs raw SQL with bound parameters; result rows stream into the pipeline as objects.'
    Description = @'
Invoke-DbQuery is SQLAlchemy's session.execute(text(...)). It runs the SQL text on the
session's default engine (or -Engine, or -Session, or the ambient Use-DbSession session) and
writes one object per result row to the pipeline as the row is read. Properties are named and
ordered as the columns; SQL NULL is $null (never DBNull); values are typed as Npgsql maps them
(int, long, decimal, bool, string, DateTime, Guid, arrays, TimeSpan). Every column is
readable: json and jsonb come back as PSCustomObjects and arrays (as ConvertFrom-Json makes
them; -JsonAs String keeps the text), a composite type as a PSCustomObject named by its
fields, an anonymous record as an array, an enum, a domain, citext, ltree and any type without
a .NET twin (tsquery, ranges, geometric types, a type another client created a moment ago) as
its text, hstore as a dictionary, an interval with months (which no TimeSpan holds) as its
text ("1 year 2 mons"), a numeric too large for decimal as a BigInteger, numeric NaN,
Infinity and -Infinity as the double NaN and ±Infinity, and a date or timestamp outside
DateTime's years 1 to 9999 (5874897-01-01, 0044-03-15 BC) as PostgreSQL's text (a timestamptz
in UTC, "+00"). The date and timestamp infinity and -infinity come back as [datetime]::MaxValue
and [datetime]::MinValue, and those two are sent back as infinity and -infinity. An array
holding NULL comes back with $null in those places. A json object whose keys cannot all be
properties (two keys that differ only by case, as {"a":1,"A":2}, or an empty key "") comes
back as an ordered dictionary (System.Collections.Specialized.OrderedDictionary, its keys
case-sensitive: $doc['A']), so no key is lost; every other object is a PSCustomObject. No
column is dropped: duplicate column names get distinct property names. Rows are
never collected in memory, so a downstream Select-Object -First 5 stops the read on the server
without draining the rest, and memory stays flat however many rows flow. A text with several
statements streams the rows of each result in turn.

Parameters are bound, never spliced into the text. Write them as @name (Npgsql style) or
:name (SQLAlchemy text() style) and pass values with -Parameters, as a hashtable or as any
object whose properties name them. Casts (::int), string literals, quoted identifiers,
comments and dollar-quoted bodies are left alone. A PowerShell array (or ArrayList,
List[object]) binds as a typed array, for = ANY(@ids); $null in it is NULL, for every element
type. Whole numbers of several sizes widen to bigint, and with decimals or doubles to those;
other mixes ((1, 'x')) are refused with PgUsers.ParameterType: make them one type first
([string[]] $values). An empty or all-$null array has no element type of its own: it takes it
from the statement (@ids::int[], a column it is inserted into, = ANY(@ids) against a column),
and where nothing gives one the error PgUsers.ParameterType says how to cast. A hashtable, a
PSCustomObject, or an array holding them binds as JSON text that the server reads as json or
jsonb, whichever the statement wants. Values nest at most 512 levels (the same bound for json
read back, so whatever is read can be sent again); a value that holds itself (an array, list,
hashtable or object containing itself) is refused with PgUsers.ParameterCycle, and one nested
deeper with PgUsers.ParameterTooDeep, both naming the parameter.

Transactions: outside a session each call is one transaction; all of the statements in its
text commit together or none do. Inside a session (-Session or Use-DbSession) the work
belongs to the session's transaction. With pipeline input the statement runs once per input
object, its properties (or hashtable keys) as parameters, sent to the server in batches of
1000, all in one transaction that commits when the input ends.

Errors: a PostgreSQL error stops the command with an ErrorRecord of id PgUsers.Sql.<SQLSTATE>
(for example PgUsers.Sql.23505 for a duplicate key), whose exception (PgUsers.DbSqlException)
carries SqlState, MessageText, Detail, Hint, Position, and the schema, table, column and
constraint names; the target object is the SQL text. A forgotten @name is PgUsers.Sql.42703
saying "No value was given for the parameter @name". Other ids: PgUsers.CommandTimeout,
PgUsers.PoolTimeout, PgUsers.ConnectionLost (the connection went away: safe to retry the unit
of work), PgUsers.ConnectionFailed, PgUsers.ConnectTimeout, PgUsers.NoEngine,
PgUsers.EngineDisposed. After any error, and after Ctrl+C, the connection goes back to the
pool clean; Ctrl+C also cancels the running statement on the server. Inside a session a
statement that returns rows (SELECT, WITH, VALUES, TABLE, SHOW, FETCH, EXPLAIN, or one with
RETURNING) stopped early (Select-Object -First) is cancelled too and rolled back to its own
savepoint: the unit of work goes on without that statement's changes. A write that returns no
rows runs there without a savepoint, so it takes no subtransaction id.

Server messages arrive while the statement runs, not after it: RAISE NOTICE, INFO and LOG
go to the Information stream (MessageData a PgUsers.DbNotice with Severity, SqlState,
MessageText, Detail and Hint; tags PgUsers, the severity and the SQLSTATE) and are shown as
Verbose too; RAISE WARNING goes to the Warning stream, DEBUG to the Debug stream. DETAIL and
HINT lines follow the message. -InformationAction, -WarningAction and the preference variables
decide what is shown, as for any cmdlet. A warning that stops the command (-WarningAction Stop,
or $WarningPreference = 'Stop') stops it before its own transaction commits, so its work rolls
back, as it would inside a unit of work; to make that possible the command then runs in an
explicit transaction (so statements that cannot run in one, such as VACUUM, need another
warning preference). Every PgUsers command that runs SQL does the same.

-Verbose shows the SQL, the time it took and the number of rows. Parameter values and
passwords are never written to any stream.
'@
    Parameters  = @{
        Query          = @'
The SQL text: one statement or several separated by semicolons. Put values in @name or :name
placeholders, never into the text itself.
'@
        Parameters     = @'
Values for the placeholders: a hashtable (@{ id = 5 }) or an object whose properties name
them ([pscustomobject], a row from Import-Csv, a PgUsers.User). A leading @ or : on a key is
ignored. $null binds as SQL NULL; an array binds as a PostgreSQL array. With pipeline input
these values are added to every input object's own, and win over a property of the same name.
'@
        InputObject    = @'
Objects piped in: for each one the statement runs once with the object's properties (or a
hashtable's keys) as parameter values, for example the rows of Import-Csv. Executions are
batched and run in one transaction, committed when the input ends; a failure rolls all of
them back. Rows the statement returns (INSERT ... RETURNING id, a SELECT per input) stream
out as usual; with -Scalar, one value per input object, in input order ($null for one with no
row); with -NonQuery, the total number of rows affected is written once at the end.
'@
        Scalar         = @'
Return only the first column of the first row ($null when there is no row or the value is
NULL), like SQLAlchemy's scalar().
'@
        NonQuery       = 'Return the number of rows affected (inserted, updated or deleted) as a long, instead of rows.'
        JsonAs         = @'
How json and jsonb values come back: Object (the default) gives PSCustomObjects, arrays,
strings, numbers (long, decimal or double), booleans and $null, so $row.doc.name works and
ConvertTo-Json writes real JSON; String gives the JSON text as the server sends it. A value
nested deeper than 512 levels cannot be read as objects (PgUsers.JsonTooDeep): read it with
-JsonAs String. An object with keys that differ only by case, or an empty key, is an ordered
dictionary (see the description).
'@
        CommandTimeout = @'
Seconds the statement may run before it is cancelled on the server, with an error of id
PgUsers.CommandTimeout. 0 or omitted means no limit.
'@
    }
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects or hashtables whose properties or keys are the parameter values of one execution each.' }
    )
    Outputs     = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'One object per result row, properties in column order (the default).' }
        @{ Type = 'System.Object'; Description = 'With -Scalar: the first value of the first row, or $null.' }
        @{ Type = 'System.Int64'; Description = 'With -NonQuery: the number of rows affected (with pipeline input, the total, once).' }
    )
    Notes       = @'
A SET or other session setting made by one call does not leak into the next call that gets
the same pooled connection. To keep settings for several statements, put them in one text or
run them in a session.
'@
    Examples    = @(
        @{
            Title   = 'Rows as objects, filtered and exported'
            Code    = @'
Invoke-DbQuery 'SELECT telegram_id, full_name, language_code, created_at FROM users' |
    Where-Object language_code -eq 'en' |
    Export-Csv english-users.csv -NoTypeInformation
'@
            Remarks = @'
Each row is an object with the columns as properties, so Where-Object and Export-Csv work on
it directly. Rows flow to the file as they are read; nothing is collected in memory. (Filtering
in SQL, with a WHERE clause, is faster still.)
'@
        }
        @{
            Title   = 'Bound parameters, both placeholder styles'
            Code    = @'
$since = (Get-Date).AddDays(-7)
Invoke-DbQuery 'SELECT * FROM users WHERE created_at > @since AND language_code = ANY(:langs)' `
    -Parameters @{ since = $since; langs = @('en', 'de') } |
    ConvertTo-Json -Depth 2
'@
            Remarks = @'
@since and :langs are sent as parameters, so a value can never change the SQL (no injection,
no quoting). The PowerShell array binds as a text[] for ANY.
'@
        }
        @{
            Title   = 'jsonb in and out as objects'
            Code    = @'
$prefs = @{ theme = 'dark'; langs = @('en', 'de') }
Invoke-DbQuery 'UPDATE profiles SET prefs = @prefs WHERE id = @id' @{ prefs = $prefs; id = 7 }
(Invoke-DbQuery 'SELECT prefs FROM profiles WHERE id = 7').prefs.langs[1]    # de
Invoke-DbQuery 'SELECT prefs FROM profiles' -JsonAs String                 # the JSON text
'@
            Remarks = @'
The hashtable is sent as JSON; the jsonb value comes back as a PSCustomObject, so its members
are properties and ConvertTo-Json writes it as JSON, not as a quoted string.
'@
        }
        @{
            Title   = 'Watch a migration report its progress'
            Code    = @'
Invoke-DbQuery 'CALL migrate_accounts()' -InformationAction Continue
Invoke-DbQuery 'SELECT refresh_all()' 6>&1 | Where-Object { $_.MessageData.SqlState -ne '00000' }
'@
            Remarks = @'
Each RAISE NOTICE of the procedure is shown as it is raised. With 6>&1 the information records
join the output, and their tags and MessageData (a PgUsers.DbNotice) can be filtered.
'@
        }
        @{
            Title   = 'A scalar and a count of rows affected'
            Code    = @'
$total = Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar
$gone  = Invoke-DbQuery 'DELETE FROM users WHERE created_at < now() - interval ''2 years''' -NonQuery
"$gone of $total users removed"
'@
            Remarks = '-Scalar returns the value itself (a long here); -NonQuery returns the number of rows the DELETE removed.'
        }
        @{
            Title   = 'Load a CSV file in one transaction'
            Code    = @'
$insert = 'INSERT INTO users (telegram_id, full_name, username, language_code)
           VALUES (@telegram_id::bigint, @full_name, @username, @language_code)
           ON CONFLICT (telegram_id) DO NOTHING'
Import-Csv users.csv | Invoke-DbQuery $insert -NonQuery -Verbose
'@
            Remarks = @'
The INSERT runs once per CSV row with the row's columns as parameters, sent in batches, in one
transaction: if any row fails, none is kept. CSV values are strings; the ::bigint cast says
what the text means.
-NonQuery writes the total number of rows inserted; -Verbose tells how many executions ran and
how long they took.
'@
        }
        @{
            Title   = 'Catch a PostgreSQL error by its SQLSTATE'
            Code    = @'
try {
    Invoke-DbQuery 'INSERT INTO users (telegram_id, full_name, language_code) VALUES (1, :n, :l)' @{ n = 'Dup'; l = 'en' }
}
catch [PgUsers.DbSqlException] {
    if ($_.Exception.SqlState -eq '23505') { Write-Warning "Already there: $($_.Exception.Detail)" }
    else { throw }
}
'@
            Remarks = @'
The error's id is PgUsers.Sql.23505 and its exception carries SqlState, Detail ("Key
(telegram_id)=(1) already exists.") and ConstraintName. The connection is back in the pool,
clean, when the catch block runs.
'@
        }
        @{
            Title   = 'Stop early and cap the run time'
            Code    = @'
Invoke-DbQuery 'SELECT * FROM events ORDER BY created_at DESC' | Select-Object -First 5
Invoke-DbQuery 'SELECT expensive_report()' -CommandTimeout 60
'@
            Remarks = @'
Select-Object -First 5 stops the read after five rows; the server is told to stop, and the
connection is returned. -CommandTimeout 60 cancels the statement on the server after a minute.
'@
        }
        @{
            Title   = 'Send a read to a standby, writes to the primary'
            Code    = @'
New-DbEngine 'postgresql://app@db1:5432,db2:5432,db3:5432/sales?target_session_attrs=read-write&load_balance_hosts=random' | Out-Null
Invoke-DbQuery 'INSERT INTO audit(note) VALUES (@note)' @{ note = 'nightly run' }
Invoke-DbQuery 'SELECT inet_server_port() AS port, count(*) FROM audit GROUP BY 1' -TargetSessionAttrs standby
'@
            Remarks = @'
One engine, one pool bound: the INSERT goes to the primary (the URL's read-write), the SELECT
to one of the standbys, spread across them by load_balance_hosts=random.
'@
        }
    )
    Links       = @('New-DbEngine', 'Use-DbSession', 'New-DbSession', 'Get-DbUser')
}
