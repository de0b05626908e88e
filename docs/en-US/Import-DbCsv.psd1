@{
    Name        = 'Import-DbCsv'
    Synopsis    = 'Loads CSV files into a table with PostgreSQL''s COPY, streaming, in one transaction.'
    Description = @'
Import-DbCsv streams CSV files into a table through PostgreSQL's text COPY (COPY ... FROM STDIN
with FORMAT csv). No PowerShell object is made per row, so a file of a million rows loads at
the speed of COPY itself, with flat memory however large the file. Every file of one call
loads in one transaction: all rows land, or none do. Inside a session (-Session or
Use-DbSession) the load belongs to the session's transaction instead.

The header line names the columns. Headers map onto the table's columns by name, ignoring
case and underscores, so the TelegramId, FullName, ... headers that
Get-DbUser | Export-Csv writes load into the users table's telegram_id, full_name, ... columns.
The columns are looked up in the server's catalog and always travel as quoted identifiers. A
header that names no column is an error of id PgUsers.CsvUnknownHeader, unless
-IgnoreUnknownColumns leaves such fields out. Columns the file does not name get their
default. An empty unquoted cell is NULL; a quoted empty cell ("") is an empty string.

Rows may come in any order: a row may refer (through a foreign key to the same table, such as
users.referrer_id) to a row on a later line, because COPY checks foreign keys at its end.

A bad line lands nothing. The error names the line and the column, as PostgreSQL reports them:
the line of the file as an editor numbers it (the header is line 1). Its id is
PgUsers.Sql.<SQLSTATE> (PgUsers.Sql.22P02 for a value that does not parse, PgUsers.Sql.23505
for a duplicate key, PgUsers.Sql.23503 for a missing referrer), its category says the data is
invalid, its target is the file, and its exception, a PgUsers.DbCsvLineException, carries
Path, Line, Column, Header and SqlState.

A file is read whole or not at all. A file whose name ends in .gz is read decompressed, and
must be a complete gzip stream: a file cut short, one whose CRC-32 or length does not match its
trailer, one that is not gzip at all, or one with data after its end fails with
PgUsers.FileUnreadable, naming the file, and nothing lands (several gzip members one after the
other, as cat a.gz b.gz makes, are read as one file). Text that is not valid in the encoding
(a Latin-1 file read as UTF-8) fails with PgUsers.CsvNotDecodable, naming the line and the
byte offset (in the decompressed text, for .gz), instead of loading U+FFFD in its place. A
header line longer than 1 MB fails with PgUsers.CsvHeaderTooLong: such a file is not the CSV
it claims to be, or has no header (name its columns with -Header). Messages quote at most the
first 40 characters of a long value or header.

-Delimiter, -Encoding and -Header work as
in Import-Csv. A progress bar shows the bytes read of each file. -WhatIf reads each header and
says which columns of which table it would load, without loading anything. Each file loaded
returns a PgUsers.DbCsvResult with the rows, bytes and time it took, once the transaction has
committed.

Other errors: a missing file is a non-terminating PgUsers.FileNotFound, and a folder named
where a file is expected a non-terminating PgUsers.NotAFile (the other files still load); an unknown table stops the command with PgUsers.TableNotFound; headers that name one
column twice, PgUsers.CsvDuplicateHeader. Ctrl+C cancels the COPY: nothing lands, and the
connection goes back to the pool.

When to use it instead of Import-Csv | Add-DbUser: see about_PgUsers.
'@
    Parameters  = @{
        Path                 = @'
The CSV files to load. Wildcards are allowed; file names can also come from the pipeline.
A name ending in .gz is read decompressed.
'@
        LiteralPath          = 'The CSV files to load, taken exactly as written (no wildcards). Get-ChildItem output binds here by its PSPath.'
        Table                = @'
The table to load into. The name is resolved as in SQL: users, public.users, or "MixedCase"
in double quotes for a name that is not lower case; the search_path applies.
'@
        Header               = @'
Column names for files without a header line; the first line of the file is then data. The
names map onto the table's columns as headers do (case and underscores ignored).
'@
        Delimiter            = 'The character between fields; a comma unless given. It must be one ASCII character other than a quote or a line break.'
        Encoding             = @'
The files' encoding: utf8 (the default, also utf8NoBOM), utf8BOM, unicode, bigendianunicode,
utf32, bigendianutf32, ascii, ansi, oem, a code page number, or a .NET encoding name such as
windows-1251. A byte order mark in the file wins. The text reaches the server as UTF-8.
'@
        IgnoreUnknownColumns = 'Leaves out the fields whose header names no column of the table, instead of failing with PgUsers.CsvUnknownHeader.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Paths of CSV files, or file objects from Get-ChildItem (bound by PSPath).' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbCsvResult'; Description = 'One per file loaded: Path, Table, Rows, Bytes and Elapsed.' }
    )
    Examples    = @(
        @{
            Title   = 'Load a file that Export-Csv wrote back into the users table'
            Code    = @'
Get-DbUser | Export-Csv users.csv
Import-DbCsv users.csv -Table users
'@
            Output  = @'
Path                Table        Rows Bytes    Elapsed
----                -----        ---- -----    -------
/home/me/users.csv  public.users 1000 71234    00:00:00.0912345
'@
            Remarks = @'
The headers TelegramId, FullName, Username, LanguageCode, CreatedAt and ReferrerId map onto
telegram_id, full_name, username, language_code, created_at and referrer_id. A file written
from Get-DbUser -Recurse also has a Depth column, which is not a column of users:
-IgnoreUnknownColumns leaves it out.
'@
        }
        @{
            Title   = 'Load compressed, semicolon-separated files without a header, and catch a bad line'
            Code    = @'
try {
    Get-ChildItem ./exports/*.csv.gz |
        Import-DbCsv -Table staging.users -Delimiter ';' -Header id, name, lang -ErrorAction Stop
}
catch [PgUsers.DbCsvLineException] {
    "Fix line $($_.Exception.Line), column $($_.Exception.Column) of $($_.Exception.Path)"
}
'@
            Remarks = @'
All the files load in one transaction. A bad value anywhere rolls all of them back, and the
exception says where it is.
'@
        }
        @{
            Title   = 'See what would be loaded'
            Code    = @'
Import-DbCsv ./users.csv users -IgnoreUnknownColumns -WhatIf
'@
            Output  = @'
What if: Performing the operation "Load CSV" on target "/home/me/users.csv (71,234 bytes) into public.users (telegram_id, full_name, language_code); leaving out Notes".
'@
            Remarks = 'The header is read and matched against the table; nothing is loaded.'
        }
    )
    Links       = @('Export-DbCsv', 'Add-DbUser', 'Use-DbSession', 'about_PgUsers')
}
