@{
    Name        = 'Export-DbCsv'
    Synopsis    = 'Writes a table or a query''s rows to a CSV file with PostgreSQL''s COPY, streaming.'
    Description = @'
Export-DbCsv streams rows into a CSV file through PostgreSQL's text COPY (COPY ... TO STDOUT
with FORMAT csv and a header line). No PowerShell object is made per row, so it runs at the
speed of COPY itself, with flat memory however many rows there are.

Give -Table for a whole table (resolved as in SQL, written as a quoted identifier), or -Query
for any query's rows; -Parameters binds values to the query's @name or :name placeholders
(COPY itself takes no parameters, so such a query first fills a temporary table, in the same
transaction).

What Export-DbCsv writes, Import-Csv reads, and Import-DbCsv loads back to the same rows.
Values that may start with a space (text, enums, json: every value of a -Query) are quoted,
as Export-Csv quotes values, because Import-Csv trims the leading spaces of an unquoted one;
numbers, dates and the like are not. NULL is an empty unquoted cell, so Import-DbCsv tells it
from an empty string (""). Values are written as PostgreSQL writes them as text (timestamps as
2024-01-02 03:04:05, booleans as t and f).

Export-DbCsv writes as Export-Csv does, and yet whole or not at all. The rows go first to a
hidden file beside the target. A new file then takes its name; an existing file gets the new
bytes copied into it, so it keeps its mode, owner, hard links and the like (a file of mode 0600
stays private); a symbolic link is written through to the file it names. On an error or
Ctrl+C the hidden file is removed and an existing file is left as it was. A device or FIFO
(/dev/null, a named pipe) is written to directly, never replaced. As with Export-Csv, an
existing file is overwritten, -NoClobber makes that an error of id PgUsers.FileExists, and a
read-only file is written only with -Force (else PgUsers.FileReadOnly), staying read-only. A
-Path with wildcards must match exactly one file, as with Export-Csv (else
PgUsers.PathNotResolved or PgUsers.PathAmbiguous); -LiteralPath takes a name as written.
A name ending in .gz is written gzip-compressed. A progress bar shows the rows and bytes
written. Returns a PgUsers.DbCsvResult with the rows, bytes and time.

A value the encoding cannot hold (an emoji in windows-1251, an accent in ascii) is not written
as "?": the export fails with PgUsers.CsvNotEncodable, naming the row, the column and the
character, and nothing is written.

Other errors: an unknown table is PgUsers.TableNotFound; a PostgreSQL error in the query is
PgUsers.Sql.<SQLSTATE> (an @name placeholder with no value in -Parameters is said to be one,
as Invoke-DbQuery says it); a missing folder is PgUsers.DirectoryNotFound.
'@
    Parameters  = @{
        Path       = 'The file to write; relative paths are from the current location. A name ending in .gz is written gzip-compressed. Wildcards must match exactly one existing file, as with Export-Csv.'
        LiteralPath = 'The file to write, its name taken exactly as written: wildcard characters such as [ ] * ? are part of the name.'
        Table      = @'
The table to export, with all its columns in order. The name is resolved as in SQL: users,
public.users, or "MixedCase" in double quotes; the search_path applies.
'@
        Query      = 'The query whose rows to export: a SELECT, VALUES, or a statement with RETURNING. Put values in @name or :name placeholders, never into the text itself.'
        Parameters = 'Values for the query''s placeholders: a hashtable or an object whose properties name them, as with Invoke-DbQuery.'
        Delimiter  = 'The character between fields; a comma unless given. It must be one ASCII character other than a quote or a line break.'
        Encoding   = @'
The file's encoding: utf8 (the default, also utf8NoBOM: no byte order mark), utf8BOM,
unicode, bigendianunicode, utf32, bigendianutf32, ascii, ansi, oem, a code page number, or a
.NET encoding name such as windows-1251.
'@
        NoHeader   = 'Writes no header line, only the rows.'
        Force      = 'Writes the file even when it is read-only; it stays read-only.'
        NoClobber  = 'Fails with PgUsers.FileExists instead of replacing an existing file.'
    }
    Inputs      = @(
        @{ Type = 'None'; Description = 'Export-DbCsv takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbCsvResult'; Description = 'The file written: Path, Table (null for a query), Rows, Bytes and Elapsed.' }
    )
    Examples    = @(
        @{
            Title   = 'Back up the users table, compressed'
            Code    = @'
Export-DbCsv ./backup/users.csv.gz -Table users
'@
            Output  = @'
Path                          Table        Rows    Bytes    Elapsed
----                          -----        ----    -----    -------
/home/me/backup/users.csv.gz  public.users 1000000 21734512 00:00:02.3456789
'@
            Remarks = 'Import-DbCsv ./backup/users.csv.gz -Table users loads it back, NULLs and quotes included.'
        }
        @{
            Title   = 'Export a query with parameters, semicolon-separated, keeping any existing file'
            Code    = @'
Export-DbCsv ./ru.csv -Query 'SELECT telegram_id, username FROM users WHERE language_code = @lang' `
    -Parameters @{ lang = 'ru' } -Delimiter ';' -NoClobber
'@
            Remarks = 'The value of @lang travels as a bound parameter. If ./ru.csv exists, the command fails with PgUsers.FileExists and leaves it alone.'
        }
    )
    Links       = @('Import-DbCsv', 'Invoke-DbQuery', 'Get-DbUser', 'about_PgUsers')
}
