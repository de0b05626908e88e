using System.Management.Automation;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// One engine over a primary and two streaming standbys: target_session_attrs in the URL,
/// -TargetSessionAttrs per call and per unit of work under one pool bound, load balancing, and
/// the engine's view of its hosts.
/// </summary>
public sealed class ReplicaTests : IClassFixture<ReplicaSetFixture>
{
    private readonly ReplicaSetFixture _set;
    private readonly Pwsh _shell;

    public ReplicaTests(ReplicaSetFixture set)
    {
        _set = set;
        _shell = set.Shell;
    }

    private const string Where = "SELECT inet_server_port() AS port, pg_is_in_recovery() AS standby";

    private static (int Port, bool Standby) Server(PSObject row) => (Convert.ToInt32(row.Prop("port")), (bool)row.Prop("standby")!);

    [Fact]
    public void A_connection_lost_on_a_standby_names_that_standby_not_every_host()
    {
        var lost = _shell.Invoke("""
            $hosts = "127.0.0.1:$($s.Primary.Port),127.0.0.1:$($s.Standbys[0].Port),127.0.0.1:$($s.Standbys[1].Port)"
            $e = New-DbEngine (New-DbUrl -Url $s.Url -HostName $hosts)
            try { Invoke-DbQuery 'SELECT inet_server_port(), pg_terminate_backend(pg_backend_pid())' -Engine $e -TargetSessionAttrs standby }
            finally { Remove-DbEngine $e }
            """);
        Assert.StartsWith("PgUsers.ConnectionLost,", lost.Error?.FullyQualifiedErrorId);
        string message = lost.Error!.Exception.Message;
        var named = _set.StandbyPorts.Where(p => message.Contains($"at 127.0.0.1:{p} was lost")).ToArray();
        Assert.True(named.Length == 1, message);
        Assert.DoesNotContain(_set.PrimaryPort.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
    }

    [Theory]
    [InlineData("any", "first")]
    [InlineData("read-write", "primary")]
    [InlineData("primary", "primary")]
    [InlineData("read-only", "standby")]
    [InlineData("standby", "standby")]
    [InlineData("prefer-standby", "standby")]
    public void Each_target_session_attrs_of_a_multi_host_url_picks_its_kind_of_server(string attrs, string expected)
    {
        // The first standby is listed before the primary, so 'any' and the primary's kinds differ.
        var row = _shell.Run($$"""
            $hosts = "127.0.0.1:$($s.Standbys[0].Port),127.0.0.1:$($s.Primary.Port),127.0.0.1:$($s.Standbys[1].Port)"
            $e = New-DbEngine (New-DbUrl -Url $s.Url -HostName $hosts -Query @{ target_session_attrs = '{{attrs}}' })
            Invoke-DbQuery '{{Where}}' -Engine $e
            Remove-DbEngine $e
            """).Single();
        var (port, standby) = Server(row);
        switch (expected)
        {
            case "first": Assert.Equal(_set.StandbyPorts[0], port); break;
            case "primary": Assert.Equal((_set.PrimaryPort, false), (port, standby)); break;
            default: Assert.True(standby && _set.StandbyPorts.Contains(port), $"{attrs} reached port {port}"); break;
        }
    }

    [Fact]
    public void TargetSessionAttrs_sends_each_call_of_one_engine_to_its_kind_under_one_pool_bound()
    {
        _shell.Run("$e = New-DbEngine $s.MultiHostUrl -PoolSize 1 -MaxOverflow 0 -PoolTimeout 1");
        Assert.Equal((_set.PrimaryPort, false), Server(_shell.Run($"Invoke-DbQuery '{Where}' -Engine $e").Single()));
        var standby = Server(_shell.Run($"Invoke-DbQuery '{Where}' -Engine $e -TargetSessionAttrs standby").Single());
        Assert.True(standby.Standby && _set.StandbyPorts.Contains(standby.Port));
        Assert.Equal((_set.PrimaryPort, false), Server(_shell.Run($"Invoke-DbQuery '{Where}' -Engine $e -TargetSessionAttrs read-write").Single()));

        // A user cmdlet takes it too: the table written on the primary is read back from a standby.
        _shell.Run("Initialize-DbUserTable -Engine $admin; Add-DbUser -Engine $admin -TelegramId 7 -FullName 'Seven' -LanguageCode en");
        _set.WaitForStandbys();
        Assert.Equal(7L, _shell.Values("Get-DbUser -Engine $e -TargetSessionAttrs standby | ForEach-Object TelegramId").Single());

        // The standby's connection counts against the same bound as the primary's.
        var held = _shell.Run("$held = New-DbSession -Engine $e -TargetSessionAttrs standby; $held.TargetSessionAttrs").Single();
        Assert.Equal("standby", held.BaseObject);
        var waited = _shell.Invoke("Invoke-DbQuery 'SELECT 1' -Engine $e -TargetSessionAttrs primary");
        Assert.StartsWith("PgUsers.PoolTimeout,", waited.Error?.FullyQualifiedErrorId);
        _shell.Run("$held.Dispose()");
        Assert.Equal(new object?[] { 1, 0 }, _shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $e -TargetSessionAttrs primary; $e.CheckedOut"));
        _shell.Run("Remove-DbEngine $e");
    }

    [Fact]
    public void TargetSessionAttrs_sends_a_whole_unit_of_work_to_one_server()
    {
        _shell.Run("$e = New-DbEngine $s.MultiHostUrl -PoolSize 2");
        var rows = _shell.Run($$"""
            Use-DbSession -Engine $e -TargetSessionAttrs standby {
                Invoke-DbQuery '{{Where}}'
                Invoke-DbQuery '{{Where}}'
                Invoke-DbQuery '{{Where}}' -TargetSessionAttrs standby
            }
            """).Select(Server).ToList();
        Assert.Single(rows.Distinct());
        Assert.True(rows[0].Standby);

        // Inside the unit, asking for another kind is refused, and says where to ask instead.
        var refused = _shell.Invoke("Use-DbSession -Engine $e -TargetSessionAttrs standby { Invoke-DbQuery 'SELECT 1' -TargetSessionAttrs primary }");
        Assert.StartsWith("PgUsers.TargetInSession,", refused.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, refused.Error!.CategoryInfo.Category);
        Assert.Contains("Use-DbSession", refused.Error.Exception.Message);

        // An object session on the primary commits there.
        _shell.Run("""
            $unit = New-DbSession -Engine $e -TargetSessionAttrs primary
            Invoke-DbQuery 'INSERT INTO marks VALUES (2, ''from a unit'')' -Session $unit
            $unit.Commit(); $unit.Dispose()
            """);
        Assert.Equal("from a unit", _shell.Values("Invoke-DbQuery 'SELECT note FROM marks WHERE id = 2' -Scalar -Engine $admin").Single());
        Assert.Equal(0, _shell.Values("$e.CheckedOut; Remove-DbEngine $e").Single());
    }

    [Fact]
    public void A_single_host_engine_refuses_a_kind_its_server_is_not_and_writes_nothing()
    {
        var wrong = _shell.Invoke("""
            $one = New-DbEngine $s.Url -PoolSize 1
            Invoke-DbQuery 'INSERT INTO marks VALUES (99, ''must not land'')' -Engine $one -TargetSessionAttrs standby
            """);
        Assert.StartsWith("PgUsers.NoSuitableServer,", wrong.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, wrong.Error!.CategoryInfo.Category);
        Assert.Contains("not a standby server", wrong.Error.Exception.Message);
        Assert.Equal(0L, _shell.Values("Invoke-DbQuery 'SELECT count(*) FROM marks WHERE id = 99' -Scalar -Engine $admin").Single());
        Assert.Equal(1, _shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $one -TargetSessionAttrs read-write").Single());

        // A standby's own engine: reads yes, read-write no.
        _shell.Run("$replica = New-DbEngine $s.StandbyUrls[0] -PoolSize 1");
        Assert.Equal(true, _shell.Values("Invoke-DbQuery 'SELECT pg_is_in_recovery()' -Scalar -Engine $replica -TargetSessionAttrs standby").Single());
        var readWrite = _shell.Invoke("New-DbSession -Engine $replica -TargetSessionAttrs read-write");
        Assert.StartsWith("PgUsers.NoSuitableServer,", readWrite.Error?.FullyQualifiedErrorId);

        // Several hosts, none of the kind: the same error, naming the hosts.
        var none = _shell.Invoke("""
            $standbys = New-DbEngine (New-DbUrl -Url $s.Url -HostName (($s.Standbys | ForEach-Object { "127.0.0.1:$($_.Port)" }) -join ','))
            Invoke-DbQuery 'SELECT 1' -Engine $standbys -TargetSessionAttrs primary
            """);
        Assert.StartsWith("PgUsers.NoSuitableServer,", none.Error?.FullyQualifiedErrorId);
        Assert.Contains($"No primary server among 127.0.0.1:{_set.StandbyPorts[0]}", none.Error!.Exception.Message);
        Assert.Equal(new object?[] { 0, 0, 0 }, _shell.Values("$one.CheckedOut; $replica.CheckedOut; $standbys.CheckedOut"));
        _shell.Run("Remove-DbEngine $one, $replica, $standbys");
    }

    [Fact]
    public void Load_balance_hosts_random_spreads_reads_across_both_standbys()
    {
        var ports = _shell.Values("""
            $hosts = ($s.Standbys | ForEach-Object { "127.0.0.1:$($_.Port)" }) -join ','
            $spread = New-DbEngine (New-DbUrl -Url $s.Url -HostName $hosts -Query @{ load_balance_hosts = 'random' }) -PoolSize 2
            1..20 | ForEach-Object { Invoke-DbQuery 'SELECT inet_server_port()' -Scalar -Engine $spread }
            Remove-DbEngine $spread
            """).Select(Convert.ToInt32).ToList();
        Assert.Equal(_set.StandbyPorts.Order(), ports.Distinct().Order());

        // Without it, the first listed host that answers takes every call.
        var first = _shell.Values("""
            $ordered = New-DbEngine (New-DbUrl -Url $s.Url -HostName $hosts) -PoolSize 2
            1..10 | ForEach-Object { Invoke-DbQuery 'SELECT inet_server_port()' -Scalar -Engine $ordered }
            Remove-DbEngine $ordered
            """).Select(Convert.ToInt32).Distinct().ToList();
        Assert.Equal(new[] { _set.StandbyPorts[0] }, first);
    }

    [Fact]
    public void The_engine_shows_each_host_and_what_it_was_seen_to_be()
    {
        var hosts = _shell.Run("""
            $e = New-DbEngine $s.MultiHostUrl
            $e.Hosts | ForEach-Object Role
            Invoke-DbQuery 'SELECT 1' -Engine $e | Out-Null
            Invoke-DbQuery 'SELECT 1' -Engine $e -TargetSessionAttrs standby | Out-Null
            $e.Hosts
            """);
        Assert.Equal(new[] { "unknown", "unknown", "unknown" }, hosts.Take(3).Select(h => h.BaseObject));
        var seen = hosts.Skip(3).ToDictionary(h => Convert.ToInt32(h.Prop("Port")), h => (string)h.Prop("Role")!);
        Assert.Equal("primary", seen[_set.PrimaryPort]);
        Assert.Equal("standby", seen[_set.StandbyPorts[0]]);
        Assert.Equal("unknown", seen[_set.StandbyPorts[1]]);
        string table = (string)_shell.Values("$e | Format-Table | Out-String -Width 400").Single()!;
        Assert.Contains("Hosts", table);
        Assert.Contains($"127.0.0.1:{_set.PrimaryPort} primary", table);
        _shell.Run("Remove-DbEngine $e");
    }

    [Fact]
    public void A_kind_that_is_not_libpqs_is_refused_and_the_names_complete()
    {
        var bad = _shell.Invoke("Invoke-DbQuery 'SELECT 1' -Engine $admin -TargetSessionAttrs replica");
        Assert.StartsWith("ParameterArgumentValidationError,", bad.Error?.FullyQualifiedErrorId);
        Assert.Contains("prefer-standby", bad.Error!.Exception.Message);
        var completions = _shell.Values("$line = 'Get-DbUser -TargetSessionAttrs prefer-'; (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText");
        Assert.Equal(new object?[] { "prefer-primary", "prefer-standby" }, completions.Order());
    }

    [Fact]
    public void Get_DbTable_reads_the_catalog_on_a_standby()
    {
        var table = _shell.Run("Get-DbTable marks -Engine $s.MultiHostUrl -TargetSessionAttrs standby").Single();
        Assert.Equal(new[] { "id" }, (string[])table.Prop("PrimaryKey")!);
    }

    [Fact]
    public void Notifications_listen_and_send_on_the_primary_of_a_multi_host_engine()
    {
        // The standby is listed first: a plain pick would land there, where LISTEN and NOTIFY fail.
        var got = _shell.Run("""
            $e = New-DbEngine (New-DbUrl -Url $s.Url -HostName "127.0.0.1:$($s.Standbys[0].Port),127.0.0.1:$($s.Primary.Port)")
            Register-DbNotification onprimary -SourceIdentifier onprimary -Engine $e
            Send-DbNotification onprimary 'hello' -Engine $e
            $got = Wait-Event onprimary -Timeout 10
            Unregister-Event onprimary
            $got.SourceEventArgs.Payload
            Invoke-DbQuery 'SELECT inet_server_port()' -Scalar -Engine $e -TargetSessionAttrs primary
            $e.CheckedOut
            Remove-DbEngine $e
            """).Select(o => o.BaseObject).ToArray();
        Assert.Equal(new object?[] { "hello", _set.PrimaryPort, 0 }, got);
    }
}
