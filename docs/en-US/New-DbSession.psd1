# Written from branch users' work in progress (NewDbSessionCommand.cs). Once the cmdlet is in
# the module its parameter facts come from the code and Planned is ignored.
@{
    Name        = 'New-DbSession'
    Synopsis    = 'Starts a unit of work: one pooled connection and one open transaction, to pass as -Session.'
    Description = @'
New-DbSession is SQLAlchemy's Session in object form. It checks one connection out of the
engine (the session default, or -Engine), begins a transaction on it, and returns a
PgUsers.DbSession. Every PgUsers cmdlet given that object as -Session runs on its connection
and inside its transaction, so their work becomes durable together when you call Commit(),
and leaves no trace after Rollback(), after an error in the unit of work, or when the session
is disposed without a commit.

Methods: Commit() makes the work so far durable and starts a new transaction; Rollback()
discards the work since the last commit and starts a new transaction; Dispose() rolls back
what was not committed and returns the connection to the pool. When a command run in the
session failed, the transaction can only roll back: Commit() then rolls back and throws an
error of id PgUsers.SessionRolledBack (a PgUsers.DbSessionException, whose ErrorId property
holds the id) naming the failure, and the session goes on with a new transaction. The session
shows IsActive, Commits, Depth (open nested units) and FailedBecause. Always dispose a session (try/finally): until then it
holds one of the engine's connections. A session belongs to the runspace that created it;
using it elsewhere (PgUsers.SessionWrongRunspace) or after Dispose() (PgUsers.SessionClosed)
is an error.

For most scripts the script-block form, Use-DbSession, is simpler: it commits and disposes
on its own.
'@
    Parameters  = @{
        Engine  = 'The engine to take the connection from, instead of this session''s default engine. A URL (DbUrl or string) works too: it gets an engine of its own, made once per session and URL.'
    }
    Planned     = @(
        @{ Name = 'Engine'; Type = 'PgUsers.DbEngine' }
        @{ Name = 'Session'; Type = 'PgUsers.DbSession' }
    )
    Inputs      = @(
        @{ Type = 'None'; Description = 'New-DbSession takes no pipeline input.' }
    )
    Outputs     = @(
        @{ Type = 'PgUsers.DbSession'; Description = 'The open session: Engine, TargetSessionAttrs (the kind of server it runs on, when given), IsActive, Commits, and the methods Commit(), Rollback() and Dispose().' }
    )
    Examples    = @(
        @{
            Title   = 'Move a user''s referrals in one transaction'
            Code    = @'
$session = New-DbSession
try {
    Invoke-DbQuery 'UPDATE users SET referrer_id = @to WHERE referrer_id = @from' @{ from = 7; to = 9 } -Session $session
    Invoke-DbQuery 'DELETE FROM users WHERE telegram_id = @from' @{ from = 7 } -Session $session
    $session.Commit()
}
finally {
    $session.Dispose()
}
'@
            Remarks = @'
Both statements become durable together at Commit(). If either fails, the finally block's
Dispose() rolls back and returns the connection.
'@
        }
        @{
            Title   = 'Check before committing'
            Code    = @'
$session = New-DbSession -Engine (Get-DbEngine primary)
Import-Csv new-users.csv | Add-DbUser -Session $session
$count = Invoke-DbQuery 'SELECT count(*) FROM users' -Scalar -Session $session
if ($count -lt 1000000) { $session.Commit() } else { $session.Rollback() }
$session.Dispose()
'@
            Remarks = 'Work done in the session is visible inside it before the commit, and to nobody else.'
        }
    )
    Links       = @('Use-DbSession', 'New-DbEngine', 'Invoke-DbQuery')
}
