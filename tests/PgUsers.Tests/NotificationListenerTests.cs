using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Register-DbNotification as PowerShell engine events (Get-Event, Wait-Event, -Action, Unregister-Event),
/// and listeners surviving a killed backend and a peer gone silent.
/// </summary>
public sealed class NotificationListenerTests : DbTest
{
    public NotificationListenerTests(ServerFixture server) : base(server)
    {
        // Rollback keeps the pool from resetting a connection that comes back (DISCARD ALL would also end a
        // LISTEN): what is left listening, or not, is then the listener's own doing.
        Shell.Run("New-DbEngine $url -ResetOnReturn Rollback | Out-Null");
    }

    private int? ListenerPid(string channel) => Listeners(channel).Select(p => (int?)p).FirstOrDefault();

    private IEnumerable<int> Listeners(string channel) => Backends().Where(b => b.Query == $"LISTEN \"{channel}\"").Select(b => b.Pid);

    [Fact]
    public void Register_raises_events_for_Get_Event_and_Wait_Event_and_Unregister_Event_returns_the_connection()
    {
        var result = Shell.Invoke("""
            Register-DbNotification reg -SourceIdentifier reg -MessageData 'mine'
            (Get-DbEngine -Default).CheckedOut
            Send-DbNotification reg 'one'
            $e = Wait-Event reg -Timeout 10
            $e.SourceEventArgs.GetType().FullName; $e.SourceEventArgs.Payload; $e.Sender.Channels -join ','; $e.MessageData
            Remove-Event -EventIdentifier $e.EventIdentifier
            'two', 'three' | Send-DbNotification reg
            while ((Get-Event reg -ErrorAction SilentlyContinue).Count -lt 2) { Start-Sleep -Milliseconds 20 }
            ((Get-Event reg).SourceEventArgs.Payload | Sort-Object) -join ','   # in either order: see about_PgUsers
            Unregister-Event reg
            (Get-DbEngine -Default).CheckedOut
            """);
        Assert.Null(result.Error);
        Assert.Equal(new object?[] { 1, "PgUsers.DbNotification", "one", "reg", "mine", "three,two", 0 }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Null(ListenerPid("reg"));
        Assert.Contains(Backends(), b => b.Query == "UNLISTEN *");
    }

    [Fact]
    public void An_Action_runs_for_each_notification_while_the_prompt_stays_free()
    {
        var result = Shell.Invoke("""
            $global:seen = [System.Collections.Generic.List[string]]::new()
            $job = Register-DbNotification act -SourceIdentifier act -Action { $global:seen.Add("$($EventArgs.Channel)=$($Event.SourceEventArgs.Payload)") }
            $job.GetType().Name
            1..3 | Send-DbNotification act
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ($global:seen.Count -lt 3 -and $clock.Elapsed.TotalSeconds -lt 10) { Start-Sleep -Milliseconds 20 }
            ($global:seen | Sort-Object) -join ','   # in either order: see about_PgUsers
            Unregister-Event act
            (Get-DbEngine -Default).CheckedOut
            """);
        Assert.Null(result.Error);
        Assert.Equal(new object?[] { "PSEventJob", "act=1,act=2,act=3", 0 }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void Closing_the_runspace_stops_its_listeners()
    {
        using var other = new Pwsh();
        other.Set("url", Url);
        other.Run("$e = New-DbEngine $url; Register-DbNotification closing | Out-Null");
        Assert.NotNull(ListenerPid("closing"));
        var engine = other.Run("$e").Single();
        other.Runspace.Close();
        Assert.Null(ListenerPid("closing"));
        Assert.Equal(0, engine.Prop("CheckedOut"));
    }

    [Fact]
    public void A_backend_killed_under_a_listener_is_replaced_within_2_s_with_the_gap_warning_and_later_notifications_arrive()
    {
        Shell.Run("Register-DbNotification killed -SourceIdentifier killed");
        int first = ListenerPid("killed") ?? throw new Xunit.Sdk.XunitException("not listening");
        var clock = Stopwatch.StartNew();
        Sql($"SELECT pg_terminate_backend({first})");
        Assert.True(Background.WaitUntil(() => Listeners("killed").Any(pid => pid != first), TimeSpan.FromSeconds(2)),
            $"not listening again after {clock.Elapsed}");
        var result = Shell.Invoke("""
            $gap = Wait-Event PgUsers.ListenGap -Timeout 5
            $gap.MessageData; $gap.SourceArgs[0]
            Send-DbNotification killed 'after'
            (Wait-Event killed -Timeout 10).SourceEventArgs.Payload
            Unregister-Event killed
            """);
        Assert.Null(result.Error);
        Assert.Contains("may be lost", (string)result.Output[0].BaseObject);
        Assert.Contains("'killed'", (string)result.Output[0].BaseObject);
        Assert.Equal(new object?[] { "killed", "after" }, result.Output.Skip(1).Select(o => o.BaseObject).ToArray());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Wait_DbNotification_rides_out_a_killed_backend_with_a_warning()
    {
        using var killer = Background.Start("""
            New-DbEngine $url | Out-Null
            $find = "SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN ""waited""'"
            while (-not ($pid1 = Invoke-DbQuery $find -Scalar)) { Start-Sleep -Milliseconds 20 }
            Invoke-DbQuery "SELECT pg_terminate_backend($pid1)" | Out-Null
            while (-not ($pid2 = Invoke-DbQuery $find -Scalar) -or $pid2 -eq $pid1) { Start-Sleep -Milliseconds 20 }
            Send-DbNotification waited 'after the gap'
            """, ("url", Url));
        var result = Shell.Invoke("Wait-DbNotification waited -Count 1 -Timeout 30 | ForEach-Object Payload");
        Assert.Null(killer.Wait().Error);
        Assert.Null(result.Error);
        Assert.Equal("after the gap", Assert.Single(result.Output).BaseObject);
        Assert.Contains("may be lost", Assert.Single(result.Warnings));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_peer_that_stops_answering_is_found_by_the_keepalive_and_replaced()
    {
        // A stopped backend answers nothing, as a host gone from the network would.
        Shell.Run("""
            $listener = [PgUsers.DbEngine].Assembly.GetType('PgUsers.Notifications.Listener')
            $flags = [Reflection.BindingFlags]'NonPublic, Static'
            $listener.GetProperty('KeepAliveInterval', $flags).SetValue($null, [timespan]::FromSeconds(1))
            $listener.GetProperty('KeepAliveTimeout', $flags).SetValue($null, [timespan]::FromSeconds(1))
            Register-DbNotification silent -SourceIdentifier silent
            """);
        int first = ListenerPid("silent") ?? throw new Xunit.Sdk.XunitException("not listening");
        Signal("STOP", first);
        try
        {
            Assert.True(Background.WaitUntil(() => Listeners("silent").Any(pid => pid != first), TimeSpan.FromSeconds(20)), "no new listener");
            var result = Shell.Invoke("""
                (Wait-Event PgUsers.ListenGap -Timeout 5).MessageData
                Send-DbNotification silent 'still here'
                (Wait-Event silent -Timeout 10).SourceEventArgs.Payload
                Unregister-Event silent
                """);
            Assert.Null(result.Error);
            Assert.Contains("may be lost", (string)result.Output[0].BaseObject);
            Assert.Equal("still here", result.Output[1].BaseObject);
        }
        finally
        {
            Signal("CONT", first);
            Shell.Run("""
                $listener.GetProperty('KeepAliveInterval', $flags).SetValue($null, [timespan]::FromSeconds(15))
                $listener.GetProperty('KeepAliveTimeout', $flags).SetValue($null, [timespan]::FromSeconds(5))
                """);
        }
    }

    [Fact]
    public void Removing_the_engine_stops_its_listener_and_says_so()
    {
        var result = Shell.Invoke("""
            $gone = New-DbEngine $url -Name gone
            Register-DbNotification removed -SourceIdentifier removed -Engine $gone
            Remove-DbEngine $gone
            (Wait-Event PgUsers.ListenGap -Timeout 10).MessageData
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-EventSubscriber | Where-Object SourceIdentifier -eq removed) -and $clock.Elapsed.TotalSeconds -lt 10) { Start-Sleep -Milliseconds 20 }
            @(Get-EventSubscriber | Where-Object SourceIdentifier -eq removed).Count
            """);
        Assert.Null(result.Error);
        Assert.Contains("'removed'", (string)result.Output[0].BaseObject);
        Assert.Contains("stopped", (string)result.Output[0].BaseObject);
        Assert.Equal(0, result.Output[1].BaseObject);
        Assert.True(Background.WaitUntil(() => ListenerPid("removed") is null, TimeSpan.FromSeconds(5)));
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
