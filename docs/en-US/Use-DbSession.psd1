# Written from branch users' work in progress (UseDbSessionCommand.cs). Once the cmdlet is in
# the module its parameter facts come from the code and Planned is ignored.
@{
    Name        = 'Use-DbSession'
    Synopsis    = 'Runs a script block as one unit of work: it commits when the block ends and rolls back when the block fails.'
    Description = @'
Use-DbSession runs the script block with a new session (one pooled connection, one
transaction) that is ambient: every PgUsers cmdlet inside the block, including inside
functions it calls, uses the session without -Session. When the block ends normally the work
is committed; when it throws a terminating error, or the pipeline is stopped (Ctrl+C), the
work is rolled back and the error is thrown again. Either way the connection goes back to the
pool.

The block runs in the caller's scope, like ForEach-Object, so it can read and set the
caller's variables; its output streams through Use-DbSession. The session is passed to the
block as its first argument (param($session)), for example to call $session.Commit() part way.

A PgUsers command that fails inside the block dooms the unit of work even when the block
catches its error, as in SQLAlchemy: PostgreSQL has aborted the transaction. The block's work
is then rolled back when it ends, with an error of id PgUsers.SessionRolledBack that says which
command failed. To let a step fail without losing the rest, run that step in a nested
Use-DbSession.

Inside another session (a nested Use-DbSession, or -Session) the block runs on a savepoint:
if it fails, only its own work is rolled back, and the outer unit of work can catch the error
and go on. With -Engine the block is a unit of its own, independent of any enclosing session.

Leaving the block with break or continue keeps its work (it commits); exit does not.
'@
    Parameters  = @{
        ScriptBlock = 'The work to run as one unit. It receives the session as its first argument.'
        Engine      = 'The engine to take the connection from, instead of this session''s default engine (or a URL, which gets an engine of its own, made once per session and URL). The block is then a unit of work of its own, even inside another session.'
        Session     = 'An open session (from New-DbSession) to run the block in, on a savepoint of its transaction: the block''s failure rolls back only its own work, and its success leaves the commit to the session.'
    }
    Planned     = @(
        @{ Name = 'ScriptBlock'; Type = 'System.Management.Automation.ScriptBlock'; Required = $true; Position = 0 }
        @{ Name = 'Engine'; Type = 'PgUsers.DbEngine' }
        @{ Name = 'Session'; Type = 'PgUsers.DbSession' }
    )
    Inputs      = @(
        @{ Type = 'None'; Description = 'Use-DbSession takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'System.Object'; Description = 'Whatever the script block writes.' }
    )
    Examples    = @(
        @{
            Title   = 'All or nothing'
            Code    = @'
Use-DbSession {
    Add-DbUser -TelegramId 10 -FullName 'Ann Lee' -LanguageCode en
    Set-DbUser -TelegramId 2 -ReferrerId 10
    Remove-DbUser -TelegramId 7
}
'@
            Remarks = @'
The three changes become durable together when the block ends. If any of them fails, none
of them is kept, and the error comes out of Use-DbSession.
'@
        }
        @{
            Title   = 'Keep going past a failed part with a nested unit'
            Code    = @'
Use-DbSession {
    foreach ($row in Import-Csv users.csv) {
        try {
            Use-DbSession { $row | Add-DbUser }
        }
        catch {
            Write-Warning "Skipped $($row.telegram_id): $($_.Exception.Message)"
        }
    }
}
'@
            Remarks = @'
Each inner block runs on a savepoint, so a bad row is rolled back alone and the outer unit of
work commits the good rows at the end.
'@
        }
    )
    Links       = @('New-DbSession', 'Invoke-DbQuery', 'Add-DbUser')
}
