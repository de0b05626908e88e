using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>
/// A session whose statement is still running when its runspace is stopped and disposed, or when its engine
/// is removed: the statement is cancelled on the server, the transaction rolled back, and the connection
/// returned (or discarded) within 2 s. Counted on the server, in pg_stat_activity.
/// </summary>
public sealed class RunningSessionTests : DbTest
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public RunningSessionTests(ServerFixture server, Xunit.Abstractions.ITestOutputHelper output) : base(server)
    {
        _output = output;
        Shell.Set("manifest", Paths.Manifest);
    }

    /// <summary>This application's backends still in a transaction or running (aborted ones included).</summary>
    private long Held(string application) => Convert.ToInt64(SqlScalar(
        $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND (xact_start IS NOT NULL OR state <> 'idle')"));

    private long Aborted(string application) => Convert.ToInt64(SqlScalar(
        $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND state = 'idle in transaction (aborted)'"));

    private long Sleeping(string application) => Convert.ToInt64(SqlScalar(
        $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND state = 'active' AND query LIKE '%pg_sleep%'"));

    /// <summary>
    /// The fault sweep's steps: a second runspace runs <paramref name="work"/> (a script using $engine, with the
    /// module imported), started and not awaited: $ps and $pending are left for the test.
    /// </summary>
    private static string StartInAnotherRunspace(string work) => $$"""
        $rs = [runspacefactory]::CreateRunspace()
        $rs.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $rs
        $null = $ps.AddScript({
            param($engine, $manifest)
            Import-Module $manifest
            {{work}}
        }.ToString()).AddArgument($engine).AddArgument($manifest)
        $pending = $ps.BeginInvoke()
        """;

    /// <summary>A session in another runspace: a temp table, then a long statement.</summary>
    private const string SessionStatement = """
        $s = New-DbSession -Engine $engine
        Invoke-DbQuery 'CREATE TEMP TABLE held(n int); INSERT INTO held VALUES (1)' -Session $s -NonQuery | Out-Null
        Invoke-DbQuery 'SELECT pg_sleep(60)' -Session $s
        """;

    [Theory]
    [InlineData("$ps.Stop(); $ps.Dispose(); $rs.Dispose()")]
    [InlineData("$rs.Dispose()")]
    [InlineData("$ps.Dispose(); $rs.Close()")]
    public void Closing_a_runspace_mid_statement_leaves_no_backend_in_a_transaction_five_times(string close)
    {
        const string app = "closed_runspace";
        Shell.Run($"$engine = New-DbEngine \"${{url}}?application_name={app}\" -PoolSize 2");
        for (int i = 0; i < 5; i++)
        {
            Shell.Run(StartInAnotherRunspace(SessionStatement));
            Assert.True(Background.WaitUntil(() => Sleeping(app) == 1, TimeSpan.FromSeconds(30)), "the statement did not start");
            var clock = Stopwatch.StartNew();
            Shell.Run(close);
            bool clean = Background.WaitUntil(() => Held(app) == 0, TimeSpan.FromSeconds(10));
            var took = clock.Elapsed;
            _output.WriteLine($"{close}, repeat {i + 1}: server clean after {took.TotalSeconds:0.00} s");
            Assert.True(clean, $"repeat {i + 1}: {Held(app)} backend(s) still in a transaction, {Aborted(app)} aborted");
            Assert.True(took < TimeSpan.FromSeconds(2), $"repeat {i + 1}: took {took.TotalSeconds:0.00} s");
            Assert.True(Background.WaitUntil(() => (int)Shell.Values("$engine.CheckedOut").Single()! == 0, TimeSpan.FromSeconds(2)));
        }
        Assert.Equal(0L, Aborted(app));
        Assert.Equal(1, Shell.Values("Invoke-DbQuery 'SELECT 1' -Scalar -Engine $engine").Single());
    }

    [Fact]
    public void Removing_the_engine_while_a_session_statement_runs_cancels_it_and_closes_the_connection_five_times()
    {
        const string app = "removed_engine";
        for (int i = 0; i < 5; i++)
        {
            // The other runspace stays open and keeps its session: only the engine goes.
            Shell.Run($"$engine = New-DbEngine \"${{url}}?application_name={app}\" -PoolSize 2");
            Shell.Run(StartInAnotherRunspace(SessionStatement));
            Assert.True(Background.WaitUntil(() => Sleeping(app) == 1, TimeSpan.FromSeconds(30)), "the statement did not start");
            var clock = Stopwatch.StartNew();
            Shell.Run("Remove-DbEngine $engine");
            bool clean = Background.WaitUntil(() => ConnectionsNamed(app) == 0, TimeSpan.FromSeconds(10));
            var took = clock.Elapsed;
            _output.WriteLine($"repeat {i + 1}: server clean after {took.TotalSeconds:0.00} s");
            Assert.True(clean, $"repeat {i + 1}: {ConnectionsNamed(app)} backend(s) left, {Aborted(app)} aborted");
            Assert.True(took < TimeSpan.FromSeconds(2), $"repeat {i + 1}: took {took.TotalSeconds:0.00} s");

            // The stopped statement and any later use of the session say what happened.
            var seen = Shell.Values("""
                $null = $ps.EndInvoke($pending)
                $ps.Streams.Error | ForEach-Object FullyQualifiedErrorId
                $ps.Commands.Clear()
                $ps.Streams.Error.Clear()
                $null = $ps.AddScript('Invoke-DbQuery "SELECT 1" -Session $s').Invoke()
                $ps.Streams.Error | ForEach-Object FullyQualifiedErrorId
                $rs.Dispose()
                """);
            Assert.Equal(new object?[] { "PgUsers.Disposed,PgUsers.Commands.InvokeDbQueryCommand", "PgUsers.Disposed,PgUsers.Commands.InvokeDbQueryCommand" }, seen);
        }
        Assert.Equal(0, ConnectionsNamed(app));
    }

    [Fact]
    public void Removing_the_engine_while_Copy_DbTable_streams_stops_both_copies_and_lands_nothing()
    {
        const string app = "removed_copy";
        Shell.Run($"$engine = New-DbEngine \"${{url}}?application_name={app}\" -PoolSize 2");
        Shell.Run(StartInAnotherRunspace(
            "Copy-DbTable -Query 'SELECT g FROM generate_series(1, 200000000) g' -Engine $engine -Destination $engine -DestinationTable copy_sink -AutoCreate"));
        string copies = $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{app}' AND state = 'active' AND query LIKE 'COPY%'";
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(copies)) == 2, TimeSpan.FromSeconds(30)), "both COPYs did not start");
        var clock = Stopwatch.StartNew();
        Shell.Run("Remove-DbEngine $engine");
        bool clean = Background.WaitUntil(() => ConnectionsNamed(app) == 0, TimeSpan.FromSeconds(10));
        var took = clock.Elapsed;
        Assert.True(clean, $"{ConnectionsNamed(app)} backend(s) left: " + string.Join("; ", Sql(
            $"SELECT state, left(query, 60) FROM pg_stat_activity WHERE application_name = '{app}'").Select(r => $"{r[0]} / {r[1]}")));
        Assert.True(took < TimeSpan.FromSeconds(2), $"took {took.TotalSeconds:0.00} s");
        var seen = Shell.Values("""
            $null = $ps.EndInvoke($pending)
            $ps.Streams.Error | ForEach-Object FullyQualifiedErrorId
            $rs.Dispose()
            """);
        Assert.Equal(new object?[] { "PgUsers.Disposed,PgUsers.Commands.CopyDbTableCommand" }, seen);
        // Nothing of the copy landed: the destination's transaction (and its -AutoCreate) rolled back.
        Assert.Equal(0L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM pg_class WHERE relname = 'copy_sink'")));
    }
}
