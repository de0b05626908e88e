@{
    Name        = 'Get-DbTable'
    Synopsis    = 'Gets tables, views, partitioned and foreign tables, reflected from the catalog.'
    Description = @'
Get-DbTable reads the server's catalog and returns a PgUsers.DbTable per table, view,
materialized view, partitioned table or foreign table whose name matches -Name (a wildcard, any
case) in a schema that matches -Schema (every schema but PostgreSQL's own when omitted). Each
has its Schema, Name and Kind; its Columns in order (PgUsers.DbColumn: Name, Type as format_type
writes it, Nullable, Default, Identity, Generated, ElementType of an array, MaxLength, Precision
and Scale, EnumLabels, DomainBaseType); its PrimaryKey, UniqueConstraints, ForeignKeys and
Indexes; and the planner's EstimatedRows and the SizeBytes on disk.

It only reads, so it works on standbys (-TargetSessionAttrs standby). A name without wildcards
that matches nothing is a non-terminating error of id PgUsers.TableNotFound. Table names complete
with Tab from the default engine's catalog.
'@
    Parameters  = @{
        Name   = 'The table name; wildcards allowed, any case. All tables when omitted.'
        Schema = 'The schema; wildcards allowed, any case. Every schema but pg_catalog, information_schema and TOAST when omitted.'
    }
    Inputs      = @()
    Outputs     = @(
        @{ Type = 'PgUsers.DbTable'; Description = 'One per table found, ordered by schema and name.' }
    )
    Examples    = @(
        @{
            Title   = 'List the tables of a schema'
            Code    = @'
Get-DbTable -Schema public
'@
            Output  = @'
Schema Name      Kind  Columns PrimaryKey EstimatedRows     Size
------ ----      ----  ------- ---------- -------------     ----
public customers table       2 id                   100    32 kB
public orders    table       8 id                     0    24 kB
'@
            Remarks = 'EstimatedRows is the planner''s figure from the last ANALYZE (empty until the first); Size counts indexes and TOAST.'
        }
        @{
            Title   = 'See one table''s columns and keys, on a standby'
            Code    = @'
$t = Get-DbTable orders -TargetSessionAttrs standby
$t.Columns | Format-Table
$t.ForeignKeys
'@
            Remarks = 'The columns show their types as PostgreSQL writes them, with defaults, identities and generated columns.'
        }
    )
    Links       = @('Write-DbTable', 'Invoke-DbQuery', 'about_PgUsers')
}
