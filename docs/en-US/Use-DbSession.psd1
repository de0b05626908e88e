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

-Retry N runs the whole block again, in a fresh transaction on a fresh connection, when it
failed with a serialization failure (SQLSTATE 40001), a deadlock (40P01) or a lost connection
(PgUsers.ConnectionLost), up to N more times. The script block is the unit of work, so it is
what runs again: write it so that running it twice does what running it once would (read
what it needs inside the block). Nothing else is retried: other errors, a block that caught a
failed command's error itself (PgUsers.SessionRolledBack), and a connection lost during COMMIT,
whose outcome cannot be known (PgUsers.CommitOutcomeUnknown). Nothing is retried once a
commit was acknowledged: a block that committed itself ($s.Commit()) and then fails is not run
again, since a retry would repeat the work already committed (-Verbose says so); its error is
thrown as it is. A commit that failed (a 40001 at COMMIT) committed nothing and counts as no
commit. The waits grow exponentially from -RetryDelay, with jitter so that
two colliding units drift apart; -Verbose says each retry and why. When the retries run out,
the last error is thrown. Output written by a failed attempt has already gone down the
pipeline. A nested Use-DbSession is never retried on its own: its failure aborts the outer
transaction, so the outermost block, given -Retry, runs again instead.
'@
    Parameters  = @{
        ScriptBlock = 'The work to run as one unit. It receives the session as its first argument.'
        Engine      = 'The engine to take the connection from, instead of this session''s default engine (or a URL, which gets an engine of its own, made once per session and URL). The block is then a unit of work of its own, even inside another session.'
        Retry       = 'How many more times to run the block after a serialization failure (40001), a deadlock (40P01) or a lost connection; 0 (the default) never retries.'
        RetryDelay  = 'Seconds to wait before the first retry (default 0.1); each later wait is about twice the one before, times a random factor from 0.5 to 1.5, and at most a minute.'
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
            Title   = 'Retry a transfer that loses a serialization conflict or a deadlock'
            Code    = @'
Use-DbSession -Retry 5 -RetryDelay 0.05 -Verbose {
    Invoke-DbQuery 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE'
    $balance = Invoke-DbQuery 'SELECT balance FROM accounts WHERE id = @id' @{ id = 1 } -Scalar
    Invoke-DbQuery 'UPDATE accounts SET balance = @b WHERE id = @id' @{ b = $balance - 10; id = 1 }
    Invoke-DbQuery 'UPDATE accounts SET balance = balance + 10 WHERE id = 2'
}
'@
            Remarks = @'
When a concurrent unit changes the same rows, PostgreSQL aborts one of them with 40001 (or
40P01 for a deadlock). Use-DbSession rolls it back and runs the whole block again, reading the
balance afresh, up to five more times; -Verbose shows "Retry 1 of 5 ..." with the reason.
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
        @{
            Title   = 'A read-only unit of work on a replica'
            Code    = @'
New-DbEngine 'postgresql://app@db1:5432,db2:5432/sales?target_session_attrs=read-write' | Out-Null
Use-DbSession -TargetSessionAttrs standby {
    $total = Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar
    Get-DbUser -First 10                      # the same standby connection, the same snapshot
}
'@
            Remarks = @'
The whole block runs on one standby connection; commands inside need no -TargetSessionAttrs
of their own (naming another kind there is an error of id PgUsers.TargetInSession).
'@
        }
    )
    Links       = @('New-DbSession', 'Invoke-DbQuery', 'Add-DbUser')
}
