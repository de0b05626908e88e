@{
    Name        = 'Copy-DbTable'
    Synopsis    = 'Copies a table or a query''s rows into a table on another engine (or the same one), streaming binary COPY.'
    Description = @'
Copy-DbTable streams rows from one server into a table on another: COPY ... TO STDOUT (FORMAT
binary) on the source is piped, as bytes, into COPY ... FROM STDIN (FORMAT binary) on the
destination. No PowerShell object is made per row, so it runs at the speed of COPY itself,
with flat memory however many rows there are. The source and the destination may be two
servers, two databases of one server, or two tables of one database.

Give -Table for a table (or view) on the source, or -Query for any query's rows; -Parameters
binds values to the query's @name or :name placeholders (COPY itself takes no parameters, so
such a query first fills a temporary table on the source). -Engine, -Session or the default
engine says where the source is; -Destination says where the rows go.

Every name is resolved through the destination's and the source's catalogs and quoted, never
spliced: mixed case, spaces, dots and quotes work, and SQL in a name is just a name that does
not exist (PgUsers.TableNotFound). Without -Schema or -DestinationSchema a name is resolved as
in SQL (schema.table, the search_path, "Quoted" for mixed case), else taken literally; with
one, both parts are taken literally.

The source's columns (all but generated ones, or those -Columns names) go into the
destination's columns of the same name (else the one equal ignoring case), in any order; the
destination's other columns take their defaults. Binary COPY sends each value in its type's
own encoding, so each pair must have the same type (text, varchar and char count as one; a
type of the database's own, such as an enum, is matched by name): otherwise the error
PgUsers.ColumnTypeMismatch names the column and both types before anything is copied. Cast the
column in a -Query to copy it anyway. A column the destination lacks is PgUsers.ColumnNotFound.

All or nothing: -AutoCreate's CREATE TABLE, -Truncate's TRUNCATE and the COPY run in one
transaction on the destination, committed at the end. An error on either side (a unique
violation, a failing query) or Ctrl+C cancels both COPYs on their servers and lands nothing,
not even the TRUNCATE or the new table; both connections go back to their pools. With a
session as -Destination the copy joins its unit of work instead: nothing is durable until the
session's Commit(), and a failure dooms the unit so that it can only roll back.

A progress bar shows the rows and megabytes copied (and, for a table, the share of the rows
the planner estimates it has); -Verbose shows both COPY statements, the
CREATE TABLE of -AutoCreate, and the count, size and time at the end. -WhatIf and -Confirm ask
once per call. Returns a PgUsers.DbTableCopyResult with Source, Destination, Rows, Bytes,
Elapsed and Created.

Other errors: a -Query without -DestinationTable is PgUsers.DestinationTableRequired; the same
table as source and destination (its TRUNCATE would wait forever for its own COPY TO) is
PgUsers.SameTable; one session as both is PgUsers.SameConnection; a PostgreSQL error on either
side is PgUsers.Sql.<SQLSTATE>.
'@
    Parameters  = @{
        Table              = @'
The source table (or view, materialized view, partitioned or foreign table). Resolved as in SQL
unless -Schema is given: users, public.users, or "MixedCase" in double quotes.
'@
        Schema             = 'The source table''s schema, taken literally (no quotes needed); -Table is then taken literally too.'
        Query              = @'
The query whose rows to copy: a SELECT, VALUES, or TABLE statement. Its columns' names are
matched against the destination's. Put values in @name or :name placeholders, never into the
text itself.
'@
        Parameters         = 'Values for the query''s placeholders: a hashtable or an object whose properties name them, as with Invoke-DbQuery.'
        Destination        = @'
Where the rows go: an engine (from New-DbEngine), a DbUrl, a URL string or a sandbox (an engine
with New-DbEngine's defaults, made once per URL and session, as -Engine makes one), or a
session (from New-DbSession), whose unit of work the copy then joins. It may be the source's
own engine: the copy then uses two of its connections. A string that is not a valid URL is
refused without quoting it.
'@
        DestinationTable   = @'
The destination table. Omitted, the source table's schema and name are used (required with
-Query). Resolved as in SQL unless -DestinationSchema is given; a table -AutoCreate makes is
named literally, in -DestinationSchema or the first schema of the search_path.
'@
        DestinationSchema  = 'The destination table''s schema, taken literally; -DestinationTable is then taken literally too.'
        Truncate           = 'Empties the destination table first, in the same transaction: if the copy fails, the old rows are still there.'
        AutoCreate         = @'
Creates the destination table when it does not exist, with the source's columns and their types
as format_type writes them on the source (character varying(255), numeric(12,3), text[]; for a
query, as the server describes its result). Only names and types are copied: no keys,
defaults or constraints. The CREATE TABLE shows in -Verbose, and is rolled back if the copy fails.
'@
        Columns            = 'Copies only these source columns (names as the source has them; a generated column may be named here).'
        Engine             = @'
The engine the source is on, instead of this session's default engine. A URL works too (a
DbUrl, a URL string or a sandbox), as for -Destination. Cannot be combined with -Session.
'@
        Session            = @'
The unit of work the source is read in (its connection and transaction), for instance to copy
rows it wrote but has not committed. Inside a Use-DbSession block the block's session is the
source unless -Engine is given. Cannot be combined with -Engine, nor be the -Destination too.
'@
        TargetSessionAttrs = @'
The kind of server the source is read on, in libpq's target_session_attrs words (any,
read-write, read-only, primary, standby, prefer-standby, prefer-primary): standby reads a
replica, which a binary COPY TO may do. The destination is always written on its engine's own choice.
'@
    }
    Inputs      = @(
        @{ Type = 'None'; Description = 'Copy-DbTable takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbTableCopyResult'; Description = 'What was copied: Source, Destination, Rows, Bytes, Elapsed, and Created (true when -AutoCreate made the table).' }
    )
    Examples    = @(
        @{
            Title   = 'Copy the users table into another database, replacing its rows'
            Code    = @'
$prod    = New-DbEngine 'postgresql://app@db1/app'
$staging = New-DbEngine 'postgresql://app@db2/staging'
Copy-DbTable users -Engine $prod -Destination $staging -Truncate
'@
            Output  = @'
Source       Destination     Rows   MB   Elapsed Created
------       -----------     ----   --   ------- -------
public.users public.users 1000000 62.1   1.734 s   False
'@
            Remarks = 'The TRUNCATE and the copy are one transaction on staging: if anything fails, its old rows stay.'
        }
        @{
            Title   = 'Copy a query''s rows into a new table, created from the query''s columns'
            Code    = @'
Copy-DbTable -Query 'SELECT telegram_id, username, created_at FROM users WHERE language_code = @lang' `
    -Parameters @{ lang = 'ru' } -Destination $staging -DestinationTable 'Russian users' -AutoCreate -Verbose
'@
            Remarks = @'
The source is the default engine. -AutoCreate creates public."Russian users" (telegram_id
bigint, username character varying(255), created_at timestamp without time zone) in the same
transaction as the copy; -Verbose shows the CREATE TABLE, both COPY statements and the count.
'@
        }
    )
    Links       = @('Export-DbCsv', 'Import-DbCsv', 'Invoke-DbQuery', 'New-DbEngine', 'New-DbSession', 'about_PgUsers')
}
