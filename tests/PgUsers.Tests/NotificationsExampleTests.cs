using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The shipped examples/Notifications.ps1 welcomes each user Add-DbUser lands, announced by a trigger's NOTIFY.</summary>
public sealed class NotificationsExampleTests : DbTest
{
    public NotificationsExampleTests(ServerFixture server) : base(server)
    {
    }

    [Fact]
    public async Task The_shipped_notifications_example_welcomes_each_new_user_as_it_lands()
    {
        // In the console host, as a user runs it, against this class's database.
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Paths.HostDll);
        info.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(Paths.Manifest)!, "examples", "Notifications.ps1"));
        info.Environment["PGUSERS_URL"] = Url;
        using var process = System.Diagnostics.Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the example did not finish");
        string errors = await error;
        Assert.True(process.ExitCode == 0 && errors.Length == 0, $"exit {process.ExitCode}: {errors}\n{text}");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(new[]
        {
            "Welcome, Ada Lovelace (@ada)!",
            "Welcome, Alan Turing (@alan), invited by user 9001!",
            "Welcome, Grace Hopper (@grace), invited by user 9001!",
            "Bienvenue, Émilie du Châtelet (@emilie)!",
            "Connections still checked out: 0",
        }, lines);
        // It left the server as it found it.
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM pg_trigger WHERE tgname = 'users_notify_new_user'"));
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM users"));
    }
}
