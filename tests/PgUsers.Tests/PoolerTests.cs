using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>PgBouncer in transaction mode (Start-DbSandbox -Pooler) in front of the server: everything works through it.</summary>
public sealed class PoolerFixture : IDisposable
{
    public PoolerFixture()
    {
        Shell.Run("""
            $s = Start-DbSandbox -Pooler
            $direct = New-DbEngine $s.Url -Name direct -PoolSize 1
            $e = New-DbEngine $s.PoolerUrl -Name pooled -PoolSize 4
            Initialize-DbUserTable -Engine $e
            """);
    }

    public Pwsh Shell { get; } = new();

    public void Dispose()
    {
        Shell.Run("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox");
        Shell.Dispose();
    }
}

public sealed class PoolerTests : IClassFixture<PoolerFixture>
{
    private readonly Pwsh _shell;

    public PoolerTests(PoolerFixture fixture) => _shell = fixture.Shell;

    [Fact]
    public void Parameters_of_both_placeholder_styles_travel_through_PgBouncer()
    {
        var row = _shell.Run("Invoke-DbQuery 'SELECT @a::int + 1 AS a, :b AS b, @c::timestamptz AS c' @{ a = 41; b = 'naïve'; c = [DateTime]::SpecifyKind([DateTime]'2026-01-02 03:04:05', 'Utc') } -Engine $e").Single();
        Assert.Equal(42, row.Prop("a"));
        Assert.Equal("naïve", row.Prop("b"));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), ((DateTime)row.Prop("c")!).ToUniversalTime());
        // Many calls, each on whichever server connection PgBouncer gives: no prepared statement is left behind to clash.
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (object?)(i * 2)).ToList(),
            _shell.Values("1..50 | ForEach-Object { Invoke-DbQuery 'SELECT @n::int * 2' @{ n = $_ } -Scalar -Engine $e }"));
    }

    [Fact]
    public void Units_of_work_commit_and_roll_back_as_one_through_PgBouncer()
    {
        _shell.Run("""
            Use-DbSession -Engine $e {
                Add-DbUser -TelegramId 1 -FullName 'Kept One' -LanguageCode en
                Invoke-DbQuery 'SET LOCAL application_name = ''unit'''
                Add-DbUser -TelegramId 2 -FullName 'Kept Two' -LanguageCode en -ReferrerId 1
            }
            """);
        var failed = _shell.Invoke("Use-DbSession -Engine $e { Add-DbUser -TelegramId 3 -FullName 'Gone' -LanguageCode en; throw 'stop' }");
        Assert.NotNull(failed.Terminating);
        _shell.Run("""
            $unit = New-DbSession -Engine $e
            Invoke-DbQuery 'INSERT INTO users (telegram_id, full_name, language_code) VALUES (4, ''Rolled'', ''en'')' -Session $unit
            $unit.Rollback()
            Invoke-DbQuery 'INSERT INTO users (telegram_id, full_name, language_code) VALUES (5, ''Committed'', ''en'')' -Session $unit
            $unit.Commit(); $unit.Dispose()
            """);
        Assert.Equal(new object?[] { 1L, 2L, 5L },
            _shell.Values("Invoke-DbQuery 'SELECT telegram_id FROM users WHERE telegram_id < 10 ORDER BY 1' -Engine $direct | ForEach-Object telegram_id"));
        Assert.Equal(0, _shell.Values("$e.CheckedOut").Single());
    }

    [Fact]
    public void A_20000_user_load_lands_whole_through_PgBouncer_and_a_bad_one_lands_nothing()
    {
        _shell.Run("""
            1..20000 | ForEach-Object { [pscustomobject]@{ telegram_id = 100000 + $_; full_name = "User $_"; language_code = 'en'; referrer_id = if ($_ -gt 1) { 100001 } } } |
                Add-DbUser -Engine $e
            """);
        Assert.Equal(20000L, _shell.Values("Invoke-DbQuery 'SELECT count(*) FROM users WHERE telegram_id > 100000' -Scalar -Engine $direct").Single());
        var bad = _shell.Invoke("""
            1..20000 | ForEach-Object { [pscustomobject]@{ telegram_id = 200000 + $_ % 19999; full_name = "Dup $_"; language_code = 'en' } } |
                Add-DbUser -Engine $e
            """);
        Assert.NotNull(bad.Error);
        Assert.Equal(0L, _shell.Values("Invoke-DbQuery 'SELECT count(*) FROM users WHERE telegram_id >= 200000' -Scalar -Engine $direct").Single());
        Assert.Equal(0, _shell.Values("$e.CheckedOut").Single());
    }
}
