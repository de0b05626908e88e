using System.Globalization;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>TCP keepalives are on by default, as in libpq, so a dead network is noticed; keepalives=0 turns them off.</summary>
public sealed class KeepaliveTests : DbTest
{
    public KeepaliveTests(ServerFixture server) : base(server)
    {
    }

    /// <summary>
    /// The kernel's timer of the engine's socket, read from /proc/net/tcp (the client side of the connection the
    /// server sees as client_port): 2 is the keepalive timer, armed only on a socket with SO_KEEPALIVE.
    /// </summary>
    private int TimerOfClientSocket(string application)
    {
        int clientPort = Convert.ToInt32(SqlScalar($"SELECT client_port FROM pg_stat_activity WHERE application_name = '{application}'"));
        string local = ":" + clientPort.ToString("X4", CultureInfo.InvariantCulture);
        var line = File.ReadLines("/proc/net/tcp").Concat(File.Exists("/proc/net/tcp6") ? File.ReadLines("/proc/net/tcp6") : [])
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(f => f.Length > 5 && f[1].EndsWith(local, StringComparison.Ordinal));
        return int.Parse(line[5].Split(':')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Keepalives_are_on_by_default_and_off_with_keepalives_0()
    {
        Shell.Run("""
            $on = New-DbEngine "${url}?application_name=keepalive_on" -PoolSize 1
            $off = New-DbEngine "${url}?application_name=keepalive_off&keepalives=0" -PoolSize 1
            Invoke-DbQuery 'SELECT 1' -Engine $on | Out-Null
            Invoke-DbQuery 'SELECT 1' -Engine $off | Out-Null
            """);
        Assert.Equal(2, TimerOfClientSocket("keepalive_on"));
        Assert.Equal(0, TimerOfClientSocket("keepalive_off"));
    }
}
