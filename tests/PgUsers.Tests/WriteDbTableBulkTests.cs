using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Write-DbTable at size: 100,000 records with a bad value or a refused row at record 50,001, then Ctrl+C.</summary>
public sealed class WriteDbTableBulkTests : DbTest
{
    private const string Objects = "1..100000 | ForEach-Object { [pscustomobject]@{ id = $_; qty = if ($_ -eq 50001) { 'x' } else { $_ }; label = \"item $_\" } }";

    public WriteDbTableBulkTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS bulk; CREATE TABLE bulk (id int PRIMARY KEY, qty int, label text)'
            Invoke-DbQuery 'INSERT INTO bulk VALUES (0, 0, @label)' @{ label = 'kept' }
            """);
    }

    private long Count() => Convert.ToInt64(SqlScalar("SELECT count(*) FROM bulk"));

    [Fact]
    public void A_bad_value_at_record_50001_of_100000_lands_nothing_then_SkipInvalid_loads_the_rest()
    {
        var failed = Shell.Invoke(Objects + " | Write-DbTable bulk");
        Assert.Equal("PgUsers.InvalidRecord,PgUsers.Commands.WriteDbTableCommand", failed.Error!.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 50001 is not valid: qty 'x' is not a whole number", failed.Error.Exception.Message);
        Assert.Equal(1L, Count());
        AssertNothingCheckedOut();

        var skipped = Shell.Invoke(Objects + " | Write-DbTable bulk -SkipInvalid -Verbose");
        Assert.Null(skipped.Terminating);
        Assert.Single(skipped.Errors);
        Assert.StartsWith("Input record 50001 is not valid: qty 'x'", skipped.Errors[0].Exception.Message);
        Assert.Equal(100_000L, Count());
        Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(DISTINCT xmin::text) FROM bulk WHERE id > 0")));
        var progress = skipped.Progress.Where(p => p.Activity == "Write-DbTable").ToList();
        Assert.True(progress.Count >= 5, $"{progress.Count} progress records");
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
    }

    [Fact]
    public void A_CHECK_the_server_refuses_at_record_50001_of_100000_lands_nothing_then_SkipInvalid_loads_the_rest_in_few_statements()
    {
        Sql("ALTER TABLE bulk ADD CONSTRAINT nonnegative CHECK (qty >= 0)");
        const string Refused = "1..100000 | ForEach-Object { [pscustomobject]@{ id = $_; qty = if ($_ -eq 50001) { -1 } else { $_ }; label = \"item $_\" } }";
        var failed = Shell.Invoke(Refused + " | Write-DbTable bulk");
        Assert.Equal("PgUsers.Sql.23514,PgUsers.Commands.WriteDbTableCommand", failed.Error!.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 50001 was not written: new row for relation \"bulk\" violates check constraint \"nonnegative\"", failed.Error.Exception.Message);
        Assert.Equal(1L, Count());

        var skipped = Shell.Invoke(Refused + " | Write-DbTable bulk -SkipInvalid -Verbose");
        Assert.Null(skipped.Terminating);
        var error = Assert.Single(skipped.Errors);
        Assert.Equal("PgUsers.Sql.23514,PgUsers.Commands.WriteDbTableCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 50001 was not written: new row for relation \"bulk\" violates check constraint \"nonnegative\"", error.Exception.Message);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains(skipped.Verbose, v => v.Contains("Wrote 99999 rows into public.bulk"));
        Assert.Equal(100_000L, Count());
        Assert.Equal(0L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM bulk WHERE id = 50001")));
        // Each part that landed has its savepoint's transaction id: halving down to one record takes a part per halving, not one per row.
        Assert.InRange(Convert.ToInt64(SqlScalar("SELECT count(DISTINCT xmin::text) FROM bulk WHERE id > 0")), 2L, 40L);
        AssertNothingCheckedOut();
    }

    [Theory]
    [InlineData("1..10000000 | ForEach-Object { [pscustomobject]@{ id = $_; qty = 1 } } | Write-DbTable bulk")]
    // A collection given by name is read in Write-DbTable's own loop: Ctrl+C must stop that loop too.
    [InlineData("Write-DbTable bulk -InputObject ([System.Linq.Enumerable]::Select([System.Linq.Enumerable]::Range(1, 100000000), [Func[int, object]] { param($i) @{ id = $i; qty = 1 } }))")]
    public void Ctrl_C_during_a_load_lands_nothing_and_returns_the_connection(string load)
    {
        using var running = Background.Start("New-DbEngine $url | Out-Null\n" + load, ("url", Url));
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY public.bulk%' AND pid <> pg_backend_pid()")) > 0, TimeSpan.FromSeconds(60)));
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.Equal(1L, Count());
        Assert.Equal(0, running.Host.Values("(Get-DbEngine -Default).CheckedOut").Single());
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY public.bulk%' AND pid <> pg_backend_pid()")) == 0, TimeSpan.FromSeconds(10)));
    }
}
