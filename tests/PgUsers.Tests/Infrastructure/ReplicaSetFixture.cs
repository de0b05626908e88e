namespace PgUsers.Tests.Infrastructure;

/// <summary>
/// One primary with two streaming standbys (Start-DbSandbox -Standby 2) for a test class, with a
/// table on the primary that both standbys have replayed. $s is the sandbox in <see cref="Shell"/>.
/// </summary>
public sealed class ReplicaSetFixture : IDisposable
{
    public ReplicaSetFixture()
    {
        Shell.Run("""
            $s = Start-DbSandbox -Standby 2
            $admin = New-DbEngine $s.Url -Name admin -PoolSize 1
            Invoke-DbQuery 'CREATE TABLE marks(id int PRIMARY KEY, note text); INSERT INTO marks VALUES (1, ''first'')' -Engine $admin
            """);
        WaitForStandbys();
    }

    public Pwsh Shell { get; } = new();

    public int PrimaryPort => Convert.ToInt32(Shell.Values("$s.Primary.Port").Single());

    public int[] StandbyPorts => Shell.Values("$s.Standbys.Port").Select(Convert.ToInt32).ToArray();

    /// <summary>Waits until every standby has replayed all the primary has written so far.</summary>
    public void WaitForStandbys()
    {
        Shell.Run("""
            $lsn = Invoke-DbQuery 'SELECT pg_current_wal_insert_lsn()::text' -Scalar -Engine $admin
            foreach ($standby in $s.StandbyUrls) {
                $engine = New-DbEngine $standby -PoolSize 1
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not (Invoke-DbQuery 'SELECT pg_last_wal_replay_lsn() >= @lsn::pg_lsn' @{ lsn = $lsn } -Scalar -Engine $engine)) {
                    if ([DateTime]::UtcNow -gt $deadline) { throw "standby $standby did not catch up" }
                    Start-Sleep -Milliseconds 20
                }
                Remove-DbEngine $engine
            }
            """);
    }

    public void Dispose()
    {
        Shell.Run("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox");
        Shell.Dispose();
    }
}
