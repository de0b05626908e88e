#Requires -Version 7.4
# The PgUsers quickstart: the SQLAlchemy notebook flow, step by step.
# Runs against the server named by $env:PGUSERS_URL, else against a throwaway local server.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'PgUsers.psd1')

# A URL object that never shows its password.
$url = New-DbUrl -Drivername 'postgresql+psycopg2' -Username notebook -Password notebook `
                 -HostName postgres -Port 5432 -Database notebook
$url.RenderAsString()
"$url"

# The quickstart's URL names a host 'postgres' that only exists in a container network;
# here we connect to PGUSERS_URL or a sandbox instead.
$sandbox = $null
if ($env:PGUSERS_URL) {
    $target = New-DbUrl -Url $env:PGUSERS_URL
} else {
    $sandbox = Start-DbSandbox
    $target = $sandbox.Url
}

$engine = $null
try {
    # Pool of 10 kept connections + up to 20 overflow, each recycled after an hour; nothing opens yet.
    $engine = New-DbEngine $target -PoolSize 10 -MaxOverflow 20 -PoolRecycle 3600
    Invoke-DbQuery @'
CREATE TABLE IF NOT EXISTS users(
    telegram_id   BIGINT PRIMARY KEY,
    full_name     VARCHAR(255) NOT NULL,
    username      VARCHAR(255),
    language_code VARCHAR(255) NOT NULL,
    created_at    TIMESTAMP DEFAULT NOW(),
    referrer_id   BIGINT,
    FOREIGN KEY (referrer_id) REFERENCES users (telegram_id) ON DELETE SET NULL
);
'@
    # ON CONFLICT keeps the quickstart re-runnable against a server you keep (PGUSERS_URL).
    Invoke-DbQuery @'
INSERT INTO users (telegram_id, full_name, username, language_code, referrer_id)
VALUES (1, 'John Doe', 'johndoe', 'en', NULL), (2, 'Jane Doe', 'janedoe', 'en', 1)
ON CONFLICT (telegram_id) DO NOTHING;
'@
    Invoke-DbQuery 'SELECT * FROM users' | Out-Default   # rows as objects, one per row, streamed
    Get-DbUser | Out-Default                             # typed users in a tidy table view
    Get-DbUser -ReferrerId 1 | Remove-DbUser -WhatIf     # says what it would remove; removes nothing
    $engine | Out-Default                                # the pool's live state
}
finally {
    # Whatever failed, the engine and the throwaway server go.
    if ($engine) { Remove-DbEngine $engine }
    if ($sandbox) { Stop-DbSandbox $sandbox }
}
