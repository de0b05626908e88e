using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests.Faults;

/// <summary>Connecting fails: a refused port, a server that accepts and never answers. A clear error, in bounded time.</summary>
[Collection("server")]
public sealed class ConnectFaultTests : IDisposable
{
    private readonly Pwsh _shell = new();
    private readonly SilentServer _silent = new();
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public ConnectFaultTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public void A_refused_connection_is_a_clear_error_not_a_hang()
    {
        _shell.Run("$e = New-DbEngine 'postgresql://nobody:pw@127.0.0.1:1/none?connect_timeout=5'");
        var result = _shell.Invoke("Invoke-DbQuery 'SELECT 1'");
        Assert.Equal("PgUsers.ConnectionFailed,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, result.Error!.CategoryInfo.Category);
        Assert.Contains("127.0.0.1:1", result.Error.Exception.Message);
        Assert.Equal(0, _shell.Values("$e.CheckedOut").Single());
    }

    /// <summary>Runs one query on an engine for the silent socket; returns how long it took to fail, and the error.</summary>
    private (double Seconds, ErrorRecord Error) FailOnSilentServer(string query, string engineArguments)
    {
        _shell.Set("port", _silent.Port).Run($"$e = New-DbEngine \"postgresql://app:pw@127.0.0.1:$port/db{query}\" {engineArguments}");
        var clock = Stopwatch.StartNew();
        var result = _shell.Invoke("Invoke-DbQuery 'SELECT 1'");
        clock.Stop();
        _output.WriteLine($"'{query}' {engineArguments}: failed after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(_silent.Accepted >= 1, "the client never reached the silent socket");
        Assert.Equal("PgUsers.ConnectTimeout,PgUsers.Commands.InvokeDbQueryCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, result.Error!.CategoryInfo.Category);
        Assert.Contains($"127.0.0.1:{_silent.Port}", result.Error.Exception.Message);
        Assert.Equal(0, _shell.Values("$e.CheckedOut").Single());
        return (clock.Elapsed.TotalSeconds, result.Error);
    }

    [Fact]
    public void A_server_that_never_answers_times_out_after_connect_timeout_naming_host_and_port()
    {
        var (seconds, error) = FailOnSilentServer("?connect_timeout=3", "");
        string message = error.Exception.Message;
        Assert.Contains("connect_timeout=3", message);
        Assert.Contains("connecting", message);
        Assert.DoesNotContain("statement", message);
        Assert.DoesNotContain("CommandTimeout", message);
        // connect_timeout=3 bounds it: not before, and (on a loaded machine) not long after.
        Assert.InRange(seconds, 2.5, 12);
    }

    [Fact]
    public void Without_connect_timeout_a_connect_takes_no_longer_than_the_PoolTimeout()
    {
        // Npgsql alone would wait its own 15 s, whatever the engine's PoolTimeout says.
        var (seconds, error) = FailOnSilentServer("", "-PoolTimeout 2");
        Assert.Contains("PoolTimeout", error.Exception.Message);
        Assert.InRange(seconds, 1.5, 10);
    }

    public void Dispose()
    {
        _shell.Run("Get-DbEngine | Remove-DbEngine");
        _shell.Dispose();
        _silent.Dispose();
    }
}
