@{
    Name        = 'Write-DbTable'
    Synopsis    = 'Writes pipeline objects into any table with one binary COPY, strictly, in one transaction.'
    Description = @'
Write-DbTable writes each pipeline object as a row of an existing table through PostgreSQL's
binary COPY, in one transaction: every row lands, or none does. Inside a session (-Session or
Use-DbSession) the rows belong to the session's transaction instead.

Objects of any shape bind: PSCustomObjects, hashtables, Import-Csv rows, DbRows from
Invoke-DbQuery, DataRows, and any .NET object's properties. A property binds to the column of
the same name, else to the one column equal ignoring case, else ignoring underscores as well
(OrderId finds order_id): the rules Import-DbCsv uses for headers. -ColumnMap sends a property
to a column of another name. A property that names no column is an error naming it, unless
-IgnoreUnknownProperties leaves it out. A column the object does not carry gets its DEFAULT;
a property that is $null writes NULL.

Each value is converted strictly by the column's real type, read from the catalog: whole
numbers within range for smallint, integer and bigint; numeric(p,s) refuses a value it would
round or that has too many digits; real and double precision take numbers, NaN and Infinity;
boolean takes $true/$false and PostgreSQL's spellings (true, false, t, f, yes, no, 1, 0); text,
varchar(n) and char(n) count code points as PostgreSQL does and refuse NUL; date refuses a time
of day; timestamp stores wall-clock time, timestamptz an instant (a time without a zone is this
machine's local time); uuid, bytea (a byte[] or \x hex), inet and cidr (cidr refuses bits right
of the mask), interval (a TimeSpan), json and jsonb (objects and hashtables serialised, text
that must be valid JSON), one-dimensional arrays of these, enum labels checked against the
type's labels, domains by their base type (their CHECK is the server's, named per record), and
any other type as its text, which the server parses.

A record that cannot be written fails the command with an error of id PgUsers.InvalidRecord
that names it, the column and the value: "Input record 50001 is not valid: qty 'x' is not a
whole number". Nothing lands. A row the server refuses during the COPY (a CHECK, a domain's
CHECK, a duplicate key) is named the same way: "Input record 5 was not written: ...", with the
id PgUsers.Sql.<SQLSTATE>.

-SkipInvalid loads the rest instead, and writes one non-terminating error per record left out:
PgUsers.InvalidRecord for a value refused as it is read, and "Input record 5 was not written:
<the server's message>" with the id PgUsers.Sql.<SQLSTATE> for a row the server refuses for its
data (a table's or a domain's CHECK, a foreign key, a duplicate key, text a type's input
does not parse: SQLSTATE classes 22 and 23). Errors for values come as the records are read; those
for rows the server refuses come after the input ends, in record order. The load then goes through
a staging table, and each set of columns moves into the table under a savepoint: a part the server
refuses is undone and halved until the refused records stand alone, so a few refused records cost a
few dozen statements, never one per row. Any other server error (a lost connection, Ctrl+C, a
permission, a serialization failure) and a constraint deferred to the commit still fail the whole
load. With -OnConflict Update only the last record given for a key is written; when the server
refuses it, that key is left as it was.

Names are never spliced into SQL. -Table is resolved through the catalog: as SQL resolves it
(schema.table, the search_path, "Quoted" for mixed case), else as written (capitals, spaces and
dots) in the search_path; with -Schema both are taken as written. Every name then travels quoted.

-OnConflict Skip keeps the stored row and Update overwrites the columns the object gives, on the
primary key or on -ConflictColumns (the columns of a unique constraint); those loads, -PassThru,
-SkipInvalid and tables with a column of a type only the server parses go through a temporary
staging table and one INSERT ... SELECT per set of columns given. -Truncate empties the table first, in the same transaction.
-AutoCreate creates a missing table from the first object's properties and the type of each
value (int: integer, long: bigint, decimal: numeric, double: double precision, bool: boolean,
DateTime: timestamp, DateTimeOffset: timestamptz, Guid: uuid, byte[]: bytea, hashtable or
PSCustomObject: jsonb, an array: its element's type[], anything else: text), with -PrimaryKey as
its key; its DDL shows in -Verbose and -WhatIf. A GENERATED ALWAYS identity column given a value
is refused unless -KeepIdentity (the value is then stored, as OVERRIDING SYSTEM VALUE does);
generated columns are never written.

-WhatIf and -Confirm ask once per table. A progress bar counts the records read. Ctrl+C stops
the COPY: nothing lands, and the connection goes back to the pool.
'@
    Parameters  = @{
        Table                   = 'The table to write into (tab completion lists the tables of the default engine). See the description for how the name is resolved.'
        Schema                  = 'The schema of the table, taken as written; -Table is then taken as written too.'
        InputObject             = 'The objects to write, one row each, from the pipeline. Given by name, a collection (an array, a list, a DataTable) is written as its items, as piping it would: -InputObject $rows is the quickest way in, since PowerShell then binds no parameter per row.'
        ColumnMap               = "A hashtable sending properties to columns of other names: @{ Title = 'label' }."
        IgnoreUnknownProperties = 'Leaves out properties that name no column, instead of refusing the record.'
        SkipInvalid             = 'Writes the valid records and one error per record left out, instead of failing the whole write: PgUsers.InvalidRecord for a value refused as it is read, PgUsers.Sql.<SQLSTATE> ("Input record N was not written: ...") for a row the server refuses for its data (a CHECK, a foreign key, a duplicate key).'
        OnConflict              = 'What to do when a row''s key is already in the table: Error (the default: nothing lands), Skip (keep the stored row) or Update (overwrite the given columns; the last of repeated keys wins).'
        ConflictColumns         = 'The key -OnConflict checks: the columns of the primary key or of a unique constraint. The primary key unless given; an error of id PgUsers.NoConflictKey when there is none.'
        Truncate                = 'Empties the table before writing, in the same transaction: the input replaces its contents, or nothing changes.'
        PassThru                = 'Returns the rows as stored (DbRow objects), with defaults, identities and generated columns filled in.'
        AutoCreate              = 'Creates the table when it does not exist, with one column per property of the first object, typed by its value.'
        PrimaryKey              = 'With -AutoCreate: the columns of the new table''s primary key.'
        KeepIdentity            = 'Stores the values given for GENERATED ALWAYS identity columns instead of refusing them.'
    }
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Any object: its properties (or a hashtable''s keys, or a DataRow''s columns) are the row''s columns.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbRow'; Description = 'With -PassThru, each row as stored.' }
    )
    Examples    = @(
        @{
            Title   = 'Load objects into a table at COPY speed'
            Code    = @'
Import-Csv ./orders.csv | Write-DbTable orders -Verbose
'@
            Output  = @'
VERBOSE: Wrote 100000 rows into public.orders (committed as one transaction).
'@
            Remarks = 'Each CSV field is converted by its column''s type; a bad value anywhere lands nothing and names the record.'
        }
        @{
            Title   = 'Upsert, skip the bad records, and see the rows as stored'
            Code    = @'
$items | Write-DbTable inventory -Schema 'Shop Data' -OnConflict Update -ConflictColumns sku -SkipInvalid -PassThru
'@
            Remarks = 'Rows whose sku is already there are updated; invalid records are reported one error each; the rest land.'
        }
        @{
            Title   = 'Write a collection already in memory'
            Code    = @'
$rows = Import-Csv ./orders.csv
Write-DbTable orders -InputObject $rows
'@
            Remarks = 'The same load as $rows | Write-DbTable orders, with each item read directly rather than bound by the pipeline one at a time.'
        }
        @{
            Title   = 'Create a table from the first object'
            Code    = @'
Get-Process | Select-Object Id, Name, WorkingSet64, StartTime | Write-DbTable processes -AutoCreate -PrimaryKey Id -WhatIf
'@
            Output  = @'
What if: Performing the operation "Create table" on target "CREATE TABLE public.processes (
    "Id" integer,
    "Name" text,
    "WorkingSet64" bigint,
    "StartTime" timestamp,
    PRIMARY KEY ("Id")
)".
'@
            Remarks = 'Without -WhatIf the table is created and loaded in one transaction.'
        }
    )
    Links       = @('Get-DbTable', 'Import-DbCsv', 'Add-DbUser', 'about_PgUsers')
}
