using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Send-DbNotification and Wait-DbNotification on a real server: every notification received in
/// order, each way of ending leaving nothing listening, payload limits, quoted channel names, JSON
/// payloads and delivery at commit.
/// </summary>
public sealed class NotificationTests : DbTest
{
    public NotificationTests(ServerFixture server) : base(server)
    {
        // Rollback keeps the pool from resetting a connection that comes back (DISCARD ALL would also end a
        // LISTEN): what is left listening, or not, is then the listener's own doing.
        Shell.Run("New-DbEngine $url -ResetOnReturn Rollback | Out-Null");
    }

    private bool Listening(string channel) => Backends().Any(b => b.Query == "LISTEN " + Quote(channel));

    private static string Quote(string channel) => "\"" + channel.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// Nothing left listening: the pool has every connection back, and the listening backend's last statement
    /// is our own UNLISTEN * (so this holds whatever the pool's reset on return does, or when it runs).
    /// </summary>
    private void AssertUnlistened(Pwsh shell)
    {
        Assert.Equal(0, shell.Values("(Get-DbEngine -Default).CheckedOut").Single());
        var backends = Backends();
        Assert.DoesNotContain(backends, b => b.Query.StartsWith("LISTEN", StringComparison.Ordinal));
        Assert.Contains(backends, b => b.Query == "UNLISTEN *");
        // And the pool's connection, handed out again, says so itself.
        var channels = shell.Values("Invoke-DbQuery 'SELECT pg_listening_channels() AS c' | ForEach-Object c");
        Assert.Empty(channels);
    }

    /// <summary>Another runspace that sends <paramref name="script"/>'s notifications once a listener on <paramref name="channel"/> is in place.</summary>
    private Background SendWhenListening(string channel, string script) => Background.Start($$"""
        New-DbEngine $url | Out-Null
        while (-not (Invoke-DbQuery 'SELECT count(*) FROM pg_stat_activity WHERE query = @q' @{ q = $listening } -Scalar)) { Start-Sleep -Milliseconds 20 }
        {{script}}
        """, ("url", Url), ("listening", "LISTEN " + Quote(channel)), ("channel", channel));

    [Fact]
    public void Ten_thousand_notifications_from_another_runspace_all_arrive_in_order()
    {
        using var sender = SendWhenListening("bulk", "1..10000 | Send-DbNotification bulk");
        var result = Shell.Invoke("""
            $got = Wait-DbNotification bulk -Count 10000 -Timeout 120
            $got.Count
            ($got.Payload -join ',') -ceq ((1..10000) -join ',')
            ($got.Channel | Sort-Object -Unique) -join ','
            ($got.ProcessId | Sort-Object -Unique).Count
            """);
        Assert.Null(result.Error);
        Assert.Null(sender.Wait().Error);
        Assert.Equal(new object?[] { 10000, true, "bulk", 1 }, result.Output.Select(o => o.BaseObject).ToArray());
        AssertUnlistened(Shell);
    }

    [Fact]
    public void Count_ends_the_wait_and_unlistens()
    {
        using var sender = SendWhenListening("counted", "'a', 'b', 'c' | Send-DbNotification counted");
        var got = Shell.Values("Wait-DbNotification counted -Count 2 -Timeout 30 | ForEach-Object Payload");
        Assert.Equal(new object?[] { "a", "b" }, got);
        sender.Wait();
        AssertUnlistened(Shell);
    }

    [Fact]
    public void Timeout_ends_the_wait_without_an_error_and_unlistens()
    {
        var clock = Stopwatch.StartNew();
        var result = Shell.Invoke("Wait-DbNotification quiet -Timeout 0.5");
        Assert.Null(result.Error);
        Assert.Empty(result.Output);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 5);
        AssertUnlistened(Shell);
    }

    [Fact]
    public void Select_Object_First_ends_the_wait_and_unlistens()
    {
        using var sender = SendWhenListening("first", "1..5 | Send-DbNotification first");
        var got = Shell.Values("Wait-DbNotification first | Select-Object -First 2 | ForEach-Object Payload");
        Assert.Equal(new object?[] { "1", "2" }, got);
        sender.Wait();
        AssertUnlistened(Shell);
    }

    [Fact]
    public void Ctrl_C_ends_the_wait_and_unlistens()
    {
        using var waiting = Background.Start("New-DbEngine $url -ResetOnReturn Rollback | Out-Null; Wait-DbNotification stopped", ("url", Url));
        Assert.True(Background.WaitUntil(() => Listening("stopped"), TimeSpan.FromSeconds(30)));
        var clock = Stopwatch.StartNew();
        waiting.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the stop took {clock.Elapsed}");
        AssertUnlistened(waiting.Host);
    }

    [Fact]
    public void Payloads_up_to_7999_bytes_go_and_longer_ones_are_refused_before_sending()
    {
        using var sender = SendWhenListening("sized", """
            Send-DbNotification sized ('x' * 7999)
            Send-DbNotification sized (('é' * 3999) + 'x')
            try { Send-DbNotification sized ('x' * 8000) } catch { $global:refused = $_ }
            'small', ('é' * 4000), 'after' | Send-DbNotification sized -ErrorVariable piped -ErrorAction SilentlyContinue
            $global:refused.FullyQualifiedErrorId; $global:refused.CategoryInfo.Category; $global:refused.Exception.Message
            $piped.FullyQualifiedErrorId
            """);
        var got = Shell.Values("Wait-DbNotification sized -Count 4 -Timeout 30 | ForEach-Object { $_.Payload.Length }");
        var sent = sender.Wait();
        Assert.Null(sent.Terminating);
        Assert.Equal(new object?[] { 7999, 4000, 5, 5 }, got);
        Assert.Equal("PgUsers.PayloadTooLong,PgUsers.Commands.SendDbNotificationCommand", sent.Output[0].BaseObject);
        Assert.Equal("LimitsExceeded", sent.Output[1].ToString());
        Assert.Contains("8000 bytes", (string)sent.Output[2].BaseObject);
        Assert.Equal("PgUsers.PayloadTooLong,PgUsers.Commands.SendDbNotificationCommand", sent.Output[3].BaseObject);
    }

    [Theory]
    [InlineData("MixedCase")]
    [InlineData("with \"quotes\" and spaces")]
    [InlineData("x\"; DROP TABLE victim; --")]
    [InlineData("x'); DROP TABLE victim; --")]
    [InlineData("ünïcødé")]
    public void Channel_names_are_taken_literally_and_quoted_never_spliced(string channel)
    {
        Shell.Run("Invoke-DbQuery 'CREATE TABLE IF NOT EXISTS victim (n int)'");
        Shell.Set("channel", channel);
        using var sender = SendWhenListening(channel, "Send-DbNotification $channel 'literal'; Send-DbNotification $channel.ToLowerInvariant() 'folded'");
        var got = Shell.Run("Wait-DbNotification $channel -Count 1 -Timeout 30").Single();
        Assert.Null(sender.Wait().Error);
        Assert.Equal((channel, "literal"), ((string)got.Prop("Channel")!, (string)got.Prop("Payload")!));
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM pg_class WHERE relname = 'victim'"));
    }

    [Fact]
    public void A_bad_channel_name_is_refused_before_anything_is_sent()
    {
        foreach (var script in new[] { "Wait-DbNotification ('c' * 64) -Timeout 1", "Send-DbNotification ('c' * 64) x", "Register-DbNotification ''" })
        {
            var error = Shell.Invoke(script).Error;
            Assert.NotNull(error);
            Assert.StartsWith(script.StartsWith("Register", StringComparison.Ordinal) ? "ParameterArgumentValidationError" : "PgUsers.InvalidChannel", error!.FullyQualifiedErrorId);
        }
        Assert.Equal(0, Shell.Values("(Get-DbEngine -Default).CheckedOut").Single());
    }

    [Fact]
    public void Objects_are_sent_as_JSON_and_AsJson_parses_them()
    {
        Shell.Run("Initialize-DbUserTable; Add-DbUser -TelegramId 5 -FullName 'Ann Lee' -LanguageCode en");
        using var sender = SendWhenListening("json", """
            [pscustomobject]@{ id = 1; name = 'Ann'; tags = 'a', 'b' } | Send-DbNotification json
            Send-DbNotification json @{ nested = @{ ok = $true } }
            Get-DbUser -TelegramId 5 | Send-DbNotification json
            Send-DbNotification json 'not json'
            Send-DbNotification json 42
            """);
        var result = Shell.Invoke("""
            $got = Wait-DbNotification json -Count 4 -Timeout 30 -AsJson -ErrorVariable bad -ErrorAction SilentlyContinue
            $got[0].Payload.id; $got[0].Payload.name; $got[0].Payload.tags -join ','
            $got[1].Payload.nested.ok
            $got[2].Payload.FullName
            $got[3].Payload
            $bad[0].FullyQualifiedErrorId
            """);
        Assert.Null(sender.Wait().Error);
        Assert.Null(result.Terminating);
        Assert.Equal(new object?[] { 1L, "Ann", "a,b", true, "Ann Lee", 42L, "PgUsers.InvalidJson,PgUsers.Commands.WaitDbNotificationCommand" },
            result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void Inside_a_unit_of_work_a_notification_is_delivered_at_commit_and_never_after_a_rollback()
    {
        var result = Shell.Invoke("""
            Register-DbNotification unit -SourceIdentifier unit
            try {
                Use-DbSession {
                    'one', 'two' | Send-DbNotification unit
                    Start-Sleep -Milliseconds 500
                    (Get-Event unit -ErrorAction SilentlyContinue).Count
                }
                $clock = [Diagnostics.Stopwatch]::StartNew()
                while ((Get-Event unit -ErrorAction SilentlyContinue).Count -lt 2 -and $clock.Elapsed.TotalSeconds -lt 10) { Start-Sleep -Milliseconds 20 }
                # PowerShell's event manager may queue two events raised together in either order.
                (Get-Event unit).SourceEventArgs.Payload | Sort-Object
                Remove-Event unit
                try { Use-DbSession { Send-DbNotification unit 'rolled back'; throw 'no' } } catch { }
                Send-DbNotification unit 'after'
                (Wait-Event unit -Timeout 10).SourceEventArgs.Payload
            } finally { Unregister-Event unit }
            """);
        Assert.Null(result.Error);
        Assert.Equal(new object?[] { 0, "one", "two", "after" }, result.Output.Select(o => o.BaseObject).ToArray());
        AssertNothingCheckedOut();
    }
}
