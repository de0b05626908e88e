using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>The server's NOTICE, INFO, LOG and WARNING messages land in PowerShell's streams, while the statement runs.</summary>
public sealed class NoticeTests : DbTest
{
    public NoticeTests(ServerFixture server) : base(server)
    {
        Shell.Run("New-DbEngine $url | Out-Null");
    }

    [Fact]
    public void Notice_info_and_log_go_to_Information_with_tags_and_Verbose_warnings_to_Warning()
    {
        var result = Shell.Invoke("""
            Invoke-DbQuery @'
            DO $$ BEGIN
                RAISE NOTICE 'hello' USING DETAIL = 'the detail', HINT = 'the hint';
                RAISE INFO 'for your information';
                RAISE LOG 'to the log';
                RAISE WARNING 'careful' USING ERRCODE = '01P01';
            END $$
            '@ -Verbose -InformationAction Continue
            """);
        Assert.Null(result.Error);
        Assert.Equal("hello\nDETAIL:  the detail\nHINT:  the hint", result.Information[0]);
        Assert.Equal("for your information", result.Information[1]);
        Assert.Equal("careful", Assert.Single(result.Warnings));
        Assert.Contains("NOTICE: hello\nDETAIL:  the detail\nHINT:  the hint", result.Verbose);
        // client_min_messages is NOTICE by default: LOG is the server log's, not the client's, unless asked.
        Assert.DoesNotContain(result.Information, i => i.Contains("to the log"));

        using var shell = PowerShell.Create();
        shell.Runspace = Shell.Runspace;
        shell.AddScript("""Invoke-DbQuery "SET client_min_messages = log; DO `$`$ BEGIN RAISE LOG 'logged'; RAISE NOTICE 'n' USING ERRCODE = 'P0001'; END `$`$" """);
        shell.Invoke();
        var records = shell.Streams.Information.ToList();
        Assert.Equal(new[] { "PgUsers", "LOG", "00000" }, records[0].Tags);
        Assert.Equal(new[] { "PgUsers", "NOTICE", "P0001" }, records[1].Tags);
        Assert.Equal("PgUsers", records[1].Source);
        var notice = Assert.IsType<DbNoticeView>(DbNoticeView.Of(records[1].MessageData));
        Assert.Equal(("NOTICE", "P0001", "n"), (notice.Severity, notice.SqlState, notice.MessageText));
    }

    [Fact]
    public void Preferences_decide_what_is_shown_as_for_any_cmdlet()
    {
        const string Raise = "Invoke-DbQuery \"DO `$`$ BEGIN RAISE NOTICE 'n'; RAISE WARNING 'w'; END `$`$\"";
        var quiet = Shell.Invoke(Raise + " -WarningAction Ignore -InformationAction Ignore");
        Assert.Empty(quiet.Warnings);
        Assert.Empty(quiet.Information);
        var output = Shell.Values("$InformationPreference = 'Continue'; " + Raise + " 6>&1 3>&1 | ForEach-Object { \"$_\" }");
        Assert.Equal(new object?[] { "n", "w" }, output);
        var stop = Shell.Invoke(Raise + " -WarningAction Stop");
        Assert.NotNull(stop.Terminating);
    }

    [Fact]
    public void A_warning_that_stops_the_command_stops_it_before_its_own_transaction_commits()
    {
        Shell.Run("""
            Invoke-DbQuery @'
            CREATE TABLE warned (n int);
            CREATE FUNCTION warn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE WARNING 'careful %', NEW.n; RETURN NEW; END $$;
            CREATE TRIGGER warned_warn BEFORE INSERT ON warned FOR EACH ROW EXECUTE FUNCTION warn();
            '@
            """);
        foreach (var call in new[]
        {
            "Invoke-DbQuery 'INSERT INTO warned VALUES (1)' -WarningAction Stop",
            "Invoke-DbQuery 'INSERT INTO warned VALUES (1)' -NonQuery -WarningAction Stop",
            "Invoke-DbQuery 'INSERT INTO warned VALUES (1) RETURNING n' -Scalar -WarningAction Stop",
            "Invoke-DbQuery 'INSERT INTO warned SELECT g FROM generate_series(1, 3) g RETURNING n' -WarningAction Stop",
            "& { $WarningPreference = 'Stop'; Invoke-DbQuery 'INSERT INTO warned VALUES (1)' }",
            "1..3 | ForEach-Object { [pscustomobject]@{ n = $_ } } | Invoke-DbQuery 'INSERT INTO warned VALUES (@n)' -WarningAction Stop",
        })
        {
            var result = Shell.Invoke(call);
            Assert.True(result.Error?.FullyQualifiedErrorId.StartsWith("ActionPreferenceStop,") == true, call + ": " + result.Error?.FullyQualifiedErrorId);
            Assert.True(0L.Equals(SqlScalar("SELECT count(*) FROM warned")), call);
        }
        AssertNothingCheckedOut();

        // Import-DbCsv: no result written, no row landed.
        string file = Path.Combine(Path.GetTempPath(), $"pgusers-warned-{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, "n\n1\n2\n");
        try
        {
            Shell.Set("file", file);
            var import = Shell.Invoke("Import-DbCsv $file -Table warned -WarningAction Stop");
            Assert.Equal("ActionPreferenceStop,PgUsers.Commands.ImportDbCsvCommand", import.Error?.FullyQualifiedErrorId);
            Assert.Empty(import.Output);
            Assert.Equal(0L, SqlScalar("SELECT count(*) FROM warned"));

            // A warning that does not stop leaves the work in place.
            var shown = Shell.Invoke("Import-DbCsv $file -Table warned; Invoke-DbQuery 'INSERT INTO warned VALUES (3)'");
            Assert.Null(shown.Error);
            Assert.Equal(new[] { "careful 1", "careful 2", "careful 3" }, shown.Warnings);
            Assert.Equal(3L, SqlScalar("SELECT count(*) FROM warned"));
        }
        finally
        {
            File.Delete(file);
        }
        AssertNothingCheckedOut();
    }

    [Fact]
    public void The_first_notice_is_seen_before_the_function_that_raises_it_ends()
    {
        Shell.Run("""
            Invoke-DbQuery @'
            CREATE FUNCTION ticking() RETURNS int LANGUAGE plpgsql AS $$
            BEGIN
                FOR i IN 1..20 LOOP
                    RAISE NOTICE 'tick %', i;
                    PERFORM pg_sleep(0.1);
                END LOOP;
                RETURN 20;
            END $$
            '@
            """);
        bool? stillRunning = null;
        using var shell = PowerShell.Create();
        shell.Runspace = Shell.Runspace;
        shell.Streams.Information.DataAdded += (_, e) =>
        {
            // The server's own view, at the moment the first notice reaches PowerShell's stream.
            stillRunning ??= Convert.ToInt64(SqlScalar("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT ticking()%'")) == 1;
        };
        shell.AddScript("Invoke-DbQuery 'SELECT ticking()' -Scalar; Invoke-DbQuery 'SELECT ticking() AS t' | ForEach-Object t");
        var output = shell.Invoke();
        Assert.Equal(new object[] { 20, 20 }, output.Select(o => o.BaseObject).ToArray());
        Assert.True(stillRunning);
        Assert.Equal(40, shell.Streams.Information.Count);
        Assert.Equal("tick 1", shell.Streams.Information[20].ToString());
    }

    [Fact]
    public void A_notice_raised_at_COMMIT_comes_out_of_Use_DbSession()
    {
        var result = Shell.Invoke("""
            Invoke-DbQuery @'
            CREATE TABLE audited (n int);
            CREATE FUNCTION say_committed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE NOTICE 'checked at commit'; RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON audited DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION say_committed();
            '@
            Use-DbSession { Invoke-DbQuery 'INSERT INTO audited VALUES (1)' } -InformationAction Continue
            """);
        Assert.Null(result.Error);
        Assert.Equal("checked at commit", Assert.Single(result.Information));
    }

    [Fact]
    public void Notices_read_on_the_prefetch_thread_reach_the_stream_in_order()
    {
        // Past the first 512 rows another thread reads; its notices are written by the pipeline thread.
        var result = Shell.Invoke("""
            Invoke-DbQuery @'
            CREATE FUNCTION noisy(n int) RETURNS int LANGUAGE plpgsql AS $$
            BEGIN IF n % 500 = 0 THEN RAISE NOTICE 'row %', n; END IF; RETURN n; END $$
            '@
            (Invoke-DbQuery 'SELECT noisy(g) AS n FROM generate_series(1, 3000) g' -InformationAction Continue | Measure-Object).Count
            """);
        Assert.Null(result.Error);
        Assert.Equal(3000, result.Output.Single().BaseObject);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => "row " + i * 500), result.Information);
    }
}

/// <summary>DbNotice is loaded from out/PgUsers, not referenced: read it through PowerShell's adapter.</summary>
internal sealed record DbNoticeView(string Severity, string SqlState, string MessageText)
{
    public static DbNoticeView? Of(object? data) => data is null ? null : PSObject.AsPSObject(data) is var o && o.BaseObject.GetType().FullName == "PgUsers.DbNotice"
        ? new((string)o.Prop("Severity")!, (string)o.Prop("SqlState")!, (string)o.Prop("MessageText")!)
        : null;
}
