# New-DbUrl needs no server: URLs are built, parsed and rendered without connecting.
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

    It 'masks an empty password too' {
        "$(New-DbUrl -Username u -Password '' -HostName h)" | Should -Be 'postgresql://u:***@h'
    }

    It 'parses percent-escapes, and a changed copy leaves the original alone' {
        $prod = New-DbUrl -Url 'postgresql://report:s3cr%40t@db.example.com:5432/sales?sslmode=require'
        $prod.RenderAsString($false) | Should -Be 'postgresql://report:s3cr%40t@db.example.com:5432/sales?sslmode=require'
        $copy = New-DbUrl -Url $prod -Database archive -Query @{ application_name = 'archiver' }
        "$copy" | Should -Be 'postgresql://report:***@db.example.com:5432/archive?application_name=archiver&sslmode=require'
        $prod.Database | Should -Be 'sales'
    }

    It 'takes a URL string from the pipeline' {
        ('postgresql://a@b/c' | New-DbUrl).Database | Should -Be 'c'
    }

    It 'takes the password from a SecureString or a credential and never shows it' {
        $secure = ConvertTo-SecureString 'hunter2' -AsPlainText -Force
        $fromSecure = New-DbUrl -Username u -Password $secure -HostName h
        $credential = [pscredential]::new('cu', (ConvertTo-SecureString 'hunter2' -AsPlainText -Force))
        $fromCredential = New-DbUrl -Credential $credential -HostName h
        ("$fromSecure", "$fromCredential", ($fromSecure | Out-String)) -join "`n" | Should -Not -Match 'hunter2'
        $fromCredential.RenderAsString($false) | Should -Be 'postgresql://cu:hunter2@h'
    }

    It 'round-trips any characters in any part' {
        $odd = New-DbUrl -Username 'us er' -Password (ConvertTo-SecureString 'p@ss w:rd/%' -AsPlainText -Force) -HostName h -Database 'd b'
        $parsed = New-DbUrl -Url $odd.RenderAsString($false)
        $parsed.Equals($odd) | Should -BeTrue
    }

    It 'parses postgres://, IPv6 hosts, query hosts and repeated query keys' {
        $v6 = New-DbUrl -Url 'postgres://u:p@[::1]:5433/d'
        $v6.Drivername | Should -Be 'postgresql'
        $v6.Hosts[0].Name | Should -Be '::1'
        $v6.Hosts[0].Port | Should -Be 5433
        # libpq's rule: a query host replaces the authority's and keeps its port.
        $url = New-DbUrl -Url 'postgres://u:p@[::1]:5433/d?host=x&application_name=a&application_name=b'
        $url.Hosts[0].Name | Should -Be 'x'
        $url.Hosts[0].Port | Should -Be 5433
        $url.Query['application_name'] | Should -Be @('a', 'b')
    }

    It 'builds a multi-host URL from host:port parts' {
        $url = New-DbUrl -HostName 'pg1:5432', 'pg2:5433' -Database app -Query @{ target_session_attrs = 'read-write' }
        $url.Hosts.Name | Should -Be @('pg1', 'pg2')
        $url.Hosts.Port | Should -Be @(5432, 5433)
    }

    It 'reads postgresql:// alone as all defaults' {
        $url = New-DbUrl -Url 'postgresql://'
        $url.HostName | Should -BeNullOrEmpty
        $url.Database | Should -BeNullOrEmpty
        "$url" | Should -Be 'postgresql://'
    }

    It 'rejects another backend, naming it, without echoing the password' {
        $err = { New-DbUrl -Url 'mysql://u:hunter2@h/d' } | Should -Throw -ErrorId 'PgUsers.InvalidUrl,PgUsers.Commands.NewDbUrlCommand' -PassThru
        $err.Exception.Message | Should -Match 'mysql'
        $err.Exception.Message | Should -Not -Match 'hunter2'
    }

    It 'rejects a query item without =' {
        { New-DbUrl -Url 'postgresql://h/d?sslmode' } | Should -Throw -ErrorId 'PgUsers.InvalidUrl,PgUsers.Commands.NewDbUrlCommand'
    }

    It 'rejects a port outside 1-65535' {
        { New-DbUrl -HostName h -Port 0 } | Should -Throw -ErrorId 'PgUsers.InvalidUrl,PgUsers.Commands.NewDbUrlCommand'
    }

    It 'rejects libpq-malformed URL <Url>' -ForEach @(
        @{ Url = 'postgresql://u:hunter2@h/d%zz' }
        @{ Url = 'postgresql://u:hunter2@h/d%00' }
        @{ Url = 'postgresql://u:hunter2@[::1/d' }
        @{ Url = 'postgresql://u:hunter2@h:99999/d' }
    ) {
        { New-DbUrl -Url $Url } | Should -Throw -ErrorId 'PgUsers.InvalidUrl,PgUsers.Commands.NewDbUrlCommand'
    }

    It 'lets New-DbEngine reject a query option it cannot map, naming it' {
        $err = { New-DbEngine 'postgresql://u:hunter2@h/d?bogus_option=1' } | Should -Throw -ErrorId 'PgUsers.InvalidUrlOption,PgUsers.Commands.NewDbEngineCommand' -PassThru
        $err.Exception.Message | Should -Match 'bogus_option'
        $err.Exception.Message | Should -Not -Match 'hunter2'
    }
}
