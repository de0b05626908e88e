# New-DbUrl needs no server. The quickstart's first step, as typed at the prompt; the parsing,
# rendering and refusals are tested once, in tests/PgUsers.UnitTests and tests/PgUsers.Tests.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/PgUsers/PgUsers.psd1" -Force
}

Describe 'New-DbUrl' {
    It 'renders the quickstart URL with the password masked, as SQLAlchemy does' {
        $url = New-DbUrl -Drivername 'postgresql+psycopg2' -Username notebook -Password notebook `
                         -HostName postgres -Port 5432 -Database notebook
        $url.RenderAsString() | Should -Be 'postgresql+psycopg2://notebook:***@postgres:5432/notebook'
        "$url" | Should -Be 'postgresql+psycopg2://notebook:***@postgres:5432/notebook'
        $url.RenderAsString($false) | Should -Be 'postgresql+psycopg2://notebook:notebook@postgres:5432/notebook'
        $url.HasPassword | Should -BeTrue
    }
}
