using PgUsers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PgUsers.Tests;

/// <summary>
/// The primary goes and its standby is promoted under a write loop: the same engine writes again
/// within seconds, the errors in between say the connection was lost, no committed row is lost.
/// </summary>
public sealed class FailoverTests : IDisposable
{
    private readonly Pwsh _shell = new();
    private readonly ITestOutputHelper _output;

    public FailoverTests(ITestOutputHelper output)
    {
        _output = output;
        // Its own primary and standby: the failover ends them.
        _shell.Run("$s = Start-DbSandbox -Standby 1");
    }

    [Fact]
    public void A_write_loop_writes_again_within_5_seconds_of_the_promotion_and_loses_no_committed_row()
    {
        // As in the field: the standby listed first, target_session_attrs=read-write finds the primary.
        _shell.Run("""
            $hosts = "127.0.0.1:$($s.Standbys[0].Port),127.0.0.1:$($s.Primary.Port)"
            $e = New-DbEngine (New-DbUrl -Url $s.Url -HostName $hosts -Query @{ target_session_attrs = 'read-write' }) -PoolSize 2
            Invoke-DbQuery 'CREATE TABLE writes(n int PRIMARY KEY)'
            $state = [System.Collections.Concurrent.ConcurrentDictionary[string, datetime]]::new()
            """);
        var state = _shell.Get<object>("state");
        var sandbox = _shell.Get<object>("s");
        // Another runspace plays the operator: the primary shuts down, a second later the standby is promoted.
        using var failover = Background.Start("""
            while (-not $state.ContainsKey('started')) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 700
            $s.Primary.Stop()
            $state['stopped'] = [DateTime]::UtcNow
            Start-Sleep -Seconds 1
            $s.Standbys[0].Promote()
            $state['promoted'] = [DateTime]::UtcNow
            """, ("state", state), ("s", sandbox));

        // The loop stops by itself: once a write lands after the promotion, or after 400 tries or 40 s.
        var log = _shell.Run("""
            $log = [System.Collections.Generic.List[object]]::new()
            $deadline = [DateTime]::UtcNow.AddSeconds(40)
            $state['started'] = [DateTime]::UtcNow
            for ($n = 1; $n -le 400 -and [DateTime]::UtcNow -lt $deadline; $n++) {
                $entry = [pscustomobject]@{ N = $n; At = $null; Error = $null; Category = $null }
                try {
                    Invoke-DbQuery 'INSERT INTO writes VALUES (@n)' @{ n = $n } -ErrorAction Stop
                }
                catch {
                    $entry.Error = $_.FullyQualifiedErrorId
                    $entry.Category = "$($_.CategoryInfo.Category)"
                }
                $entry.At = [DateTime]::UtcNow
                $log.Add($entry)
                if (-not $entry.Error -and $state.ContainsKey('promoted') -and $entry.At -gt $state['promoted']) { break }
                Start-Sleep -Milliseconds 100
            }
            $log
            """).Select(r => (N: (int)r.Prop("N")!, At: (DateTime)r.Prop("At")!, Error: (string?)r.Prop("Error"), Category: (string?)r.Prop("Category"))).ToList();
        var background = failover.Wait(TimeSpan.FromSeconds(60));
        Assert.Null(background.Terminating);

        var stopped = (DateTime)_shell.Values("$state['stopped']").Single()!;
        var promoted = (DateTime)_shell.Values("$state['promoted']").Single()!;
        var firstAfter = log.First(r => r.Error is null && r.At > promoted);
        double seconds = (firstAfter.At - promoted).TotalSeconds;
        Assert.True(seconds < 5, $"the first write landed {seconds:0.00} s after the promotion");

        // In between, every error is the lost connection (ConnectionError), none a generic failure.
        var errors = log.Where(r => r.Error is not null).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, r => Assert.StartsWith("PgUsers.ConnectionLost,", r.Error));
        Assert.All(errors, r => Assert.Equal("ConnectionError", r.Category));
        Assert.All(errors, r => Assert.True(r.At > stopped.AddSeconds(-1), "an error before the primary went away"));

        // Every write that reported success is on the new primary.
        var committed = log.Where(r => r.Error is null).Select(r => r.N).ToList();
        var present = _shell.Values("Invoke-DbQuery 'SELECT n FROM writes ORDER BY n' | ForEach-Object n").Select(Convert.ToInt32).ToList();
        Assert.Empty(committed.Except(present));
        Assert.Equal(0, _shell.Values("$e.CheckedOut").Single());
        Assert.Contains("primary", _shell.Values("$e.Hosts | Where-Object Port -eq $s.Standbys[0].Port | ForEach-Object Role"));
        _output.WriteLine($"failover: stopped→promoted {(promoted - stopped).TotalSeconds:0.00} s; first write {seconds:0.000} s after promotion; {errors.Count} errors ({errors.Select(e => e.Error).Distinct().Single()}), {committed.Count} committed, none lost");
    }

    public void Dispose()
    {
        _shell.Run("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox");
        _shell.Dispose();
    }
}
