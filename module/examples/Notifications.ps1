#Requires -Version 7.4
# Welcomes each new user as Add-DbUser lands them: a trigger on users notifies 'new_user' with the row
# as JSON, and a listener here turns each notification into a welcome.
# Runs against the server named by $env:PGUSERS_URL, else against a throwaway local server.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'PgUsers.psd1')

$sandbox = $null
if ($env:PGUSERS_URL) { $target = New-DbUrl -Url $env:PGUSERS_URL } else { $sandbox = Start-DbSandbox; $target = $sandbox.Url }
try {
    $engine = New-DbEngine $target
    Initialize-DbUserTable

    # The database says when a user lands: at commit, once per row, with the row as JSON.
    Invoke-DbQuery @'
CREATE OR REPLACE FUNCTION notify_new_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('new_user', row_to_json(NEW)::text);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER users_notify_new_user AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION notify_new_user();
'@

    # The welcomer listens from here on, in the background, on one connection of the engine's pool.
    # (-Action { ... } would run a script block per user instead; here the events queue for Wait-Event.)
    Register-DbNotification new_user -SourceIdentifier welcome

    # Users sign up: one by one, and three in one load (one COPY, one commit, one notification per row).
    Add-DbUser -TelegramId 9001 -FullName 'Ada Lovelace' -Username ada -LanguageCode en
    @(
        [pscustomobject]@{ TelegramId = 9002; FullName = 'Alan Turing'; Username = 'alan'; LanguageCode = 'en'; ReferrerId = 9001 }
        [pscustomobject]@{ TelegramId = 9003; FullName = 'Grace Hopper'; Username = 'grace'; LanguageCode = 'en'; ReferrerId = 9001 }
        [pscustomobject]@{ TelegramId = 9004; FullName = 'Émilie du Châtelet'; Username = 'emilie'; LanguageCode = 'fr' }
    ) | Add-DbUser

    # Welcome each, in the order they arrived. PowerShell may queue events raised close together in either
    # order, so take the four, then sort them by the time the listener received each.
    $arrived = foreach ($n in 1..4) {
        $event = Wait-Event welcome -Timeout 10
        if (-not $event) { throw 'No new user was announced within 10 s.' }
        Remove-Event -EventIdentifier $event.EventIdentifier
        $event.SourceEventArgs
    }
    foreach ($notification in $arrived | Sort-Object ReceivedAt -Stable) {
        $user = $notification.Payload | ConvertFrom-Json
        $greeting = if ($user.language_code -eq 'fr') { 'Bienvenue' } else { 'Welcome' }
        $referred = if ($user.referrer_id) { ", invited by user $($user.referrer_id)" } else { '' }
        "$greeting, $($user.full_name) (@$($user.username))$referred!"
    }

    # Unregister-Event stops the listener: it unlistens and returns its connection.
    Unregister-Event welcome
    "Connections still checked out: $($engine.CheckedOut)"
}
finally {
    Get-EventSubscriber | Where-Object SourceIdentifier -eq welcome | Unregister-Event
    if ($env:PGUSERS_URL -and $engine) {
        # Leave a server we were pointed at as we found it.
        Invoke-DbQuery 'DROP TRIGGER IF EXISTS users_notify_new_user ON users; DROP FUNCTION IF EXISTS notify_new_user()'
        Invoke-DbQuery 'DELETE FROM users WHERE telegram_id BETWEEN 9001 AND 9004'
    }
    Get-DbEngine | Remove-DbEngine
    if ($sandbox) { Stop-DbSandbox $sandbox }
}
