using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Copy-DbTable on real servers: two databases and one, tables and queries, awkward names, -Truncate,
/// -AutoCreate, wrong types, failures and Ctrl+C landing nothing, and a session as the destination.
/// </summary>
public sealed class CopyTableTests : DbTest
{
    // Every kind of value binary COPY must carry untouched, NULLs included.
    private const string ThingsDdl = """
        DROP TABLE IF EXISTS things;
        CREATE TABLE things (id int PRIMARY KEY, label text, note varchar(20), amount numeric(12,3), done boolean,
            at timestamptz, day date, tags text[], doc jsonb, raw bytea, span interval, addr inet, uid uuid);
        """;

    private const string ThingsRows = """
        INSERT INTO things VALUES
            (1, 'comma, and "quotes"', '', 1.5, true, '2024-01-02 03:04:05.678+00', '2024-02-29', '{a,"b c",NULL}', '{"k": [1, null]}',
             '\x00ff10', '1 year 2 mons 3 days 04:05:06', '10.1.2.3/8', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
            (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (3, e'two\nlines', 'Ünïcødé ✓ 😀', -0.001, false, 'infinity', '-infinity', '{}', '[]', '', '-1 day', '::1', NULL);
        """;

    private readonly string _targetDb;

    public CopyTableTests(ServerFixture server) : base(server)
    {
        string targetUrl = server.DatabaseFor(nameof(CopyTableTests) + "Target");
        _targetDb = new Uri(targetUrl.Replace("postgresql://", "http://")).AbsolutePath.Trim('/');
        Shell.Set("targetUrl", targetUrl);
        Shell.Run($"""
            $src = New-DbEngine $url -Name src -PoolSize 2
            $dst = New-DbEngine $targetUrl -Name dst -PoolSize 2
            Invoke-DbQuery -Engine $src @'
            {ThingsDdl}
            {ThingsRows}
            '@
            Invoke-DbQuery -Engine $dst @'
            DROP SCHEMA IF EXISTS "My ""S"".x" CASCADE;
            DROP TABLE IF EXISTS copied, made, small, odd;
            {ThingsDdl}
            '@
            """);
    }

    private List<object?[]> Target(string sql) => Server.Query(_targetDb, sql);

    private object? TargetScalar(string sql) => Server.Scalar(_targetDb, sql);

    private const string Digest = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY id)), '') FROM things t";

    private void AssertNothingCheckedOutAnywhere()
    {
        Assert.Equal(new object?[] { 0, 0 }, Shell.Values("$src.CheckedOut; $dst.CheckedOut"));
    }

    [Fact]
    public void A_table_copies_into_another_database_value_for_value_and_says_what_it_did()
    {
        var result = Shell.Invoke("Copy-DbTable things -Engine $src -Destination $dst -Verbose");
        Assert.Null(result.Error);
        var copied = result.Output.Single();
        Assert.Equal(3L, copied.Prop("Rows"));
        Assert.Equal("public.things", copied.Prop("Source"));
        Assert.Equal("public.things", copied.Prop("Destination"));
        Assert.True((long)copied.Prop("Bytes")! > 100);
        Assert.False((bool)copied.Prop("Created")!);
        Assert.Equal(SqlScalar(Digest), TargetScalar(Digest));
        Assert.Contains(result.Verbose, v => v.StartsWith("Copied 3 rows (") && v.Contains("ms (committed as one transaction)."));
        Assert.Contains(result.Verbose, v => v.StartsWith("Source: COPY public.things (\"id\", "));

        // The view shows it as a table line.
        var shown = string.Join("\n", Shell.Values("$r = Copy-DbTable things -Engine $src -Destination $dst -DestinationTable copied -AutoCreate; $r | Out-String -Width 200"));
        Assert.Matches(@"Source\s+Destination\s+Rows\s+MB\s+Elapsed\s+Created", shown);
        Assert.Matches("public.things\\s+public.copied\\s+3\\s+0.0\\s+[0-9.]+ s\\s+True", shown);
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void AutoCreate_declares_the_source_columns_types_from_a_table_and_from_a_query()
    {
        Shell.Run("Copy-DbTable things -Engine $src -Destination $dst -DestinationTable made -AutoCreate | Out-Null");
        const string Types = "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '{0}'::regclass AND attnum > 0";
        Assert.Equal(SqlScalar(string.Format(Types, "things")), TargetScalar(string.Format(Types, "made")));
        Assert.Equal(3L, Convert.ToInt64(TargetScalar("SELECT count(*) FROM made")));

        // A query's result description keeps the modifiers (varchar(20), numeric(12,3)) and computed columns' types.
        var made = Shell.Run("""
            Copy-DbTable -Query 'SELECT id, note, amount, tags, id::bigint * 2 AS twice FROM things WHERE id <> @skip' -Parameters @{ skip = 2 } `
                -Engine $src -Destination $dst -DestinationTable small -AutoCreate
            """).Single();
        Assert.Equal("query", made.Prop("Source"));
        Assert.True((bool)made.Prop("Created")!);
        Assert.Equal("id integer, note character varying(20), amount numeric(12,3), tags text[], twice bigint", TargetScalar(string.Format(Types, "small")));
        Assert.Equal("1:2, 3:6", TargetScalar("SELECT string_agg(id || ':' || twice, ', ' ORDER BY id) FROM small"));
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void Quoted_mixed_case_names_with_spaces_dots_and_quotes_work_on_both_sides()
    {
        const string Odd = """
            CREATE SCHEMA "My ""S"".x";
            CREATE TABLE "My ""S"".x"."Odd Name.With""Quote" ("Mixed Case" int, "a.b" text, "q""uote" text, "select" int);
            """;
        Sql(Odd.Replace("CREATE SCHEMA", "DROP SCHEMA IF EXISTS \"My \"\"S\"\".x\" CASCADE; CREATE SCHEMA"));
        Sql("""INSERT INTO "My ""S"".x"."Odd Name.With""Quote" VALUES (1, 'x', 'y', 2), (NULL, NULL, NULL, NULL)""");
        Target(Odd);
        // Taken literally with -Schema; resolved as SQL without it.
        Shell.Run("""Copy-DbTable -Table 'Odd Name.With"Quote' -Schema 'My "S".x' -Engine $src -Destination $dst | Out-Null""");
        Shell.Run("""Copy-DbTable -Table '"My ""S"".x"."Odd Name.With""Quote"' -Engine $src -Destination $dst -Columns 'q"uote', 'Mixed Case' | Out-Null""");
        Assert.Equal("1|x|y|2;|||;1||y|;|||", TargetScalar("""
            SELECT string_agg(coalesce("Mixed Case"::text, '') || '|' || coalesce("a.b", '') || '|' || coalesce("q""uote", '') || '|'
                || coalesce("select"::text, ''), ';' ORDER BY ctid) FROM "My ""S"".x"."Odd Name.With""Quote"
            """));

        // A name is never spliced: one that reads as SQL is just a table that does not exist.
        var injected = Shell.Invoke("Copy-DbTable -Table 'things; DROP TABLE things; --' -Engine $src -Destination $dst -DestinationTable x");
        Assert.Equal("PgUsers.TableNotFound,PgUsers.Commands.CopyDbTableCommand", injected.Error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, injected.Error.CategoryInfo.Category);
        Assert.Equal(3L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM things")));
        var missing = Shell.Invoke("Copy-DbTable things -Engine $src -Destination $dst -DestinationTable 'no such'");
        Assert.Equal("PgUsers.TableNotFound,PgUsers.Commands.CopyDbTableCommand", missing.Error!.FullyQualifiedErrorId);
        Assert.Contains("-AutoCreate creates it", missing.Error.Exception.Message);
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void Truncate_replaces_the_rows_and_without_it_they_are_added_with_the_destination_s_notices_shown()
    {
        Target("""
            INSERT INTO things (id, label) VALUES (100, 'old');
            CREATE OR REPLACE FUNCTION landed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE WARNING 'rows landed in %', TG_TABLE_NAME; RETURN NULL; END $$;
            CREATE TRIGGER landed AFTER INSERT ON things FOR EACH STATEMENT EXECUTE FUNCTION landed();
            """);
        var added = Shell.Invoke("Copy-DbTable things -Engine $src -Destination $dst");
        Assert.Null(added.Error);
        // The destination's notices reach the command's streams.
        Assert.Equal("rows landed in things", Assert.Single(added.Warnings));
        Assert.Equal(4L, Convert.ToInt64(TargetScalar("SELECT count(*) FROM things")));
        Shell.Run("Copy-DbTable things -Engine $src -Destination $dst -Truncate | Out-Null");
        Assert.Equal(SqlScalar(Digest), TargetScalar(Digest));
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void Columns_match_by_name_whatever_their_order_and_the_rest_take_their_defaults()
    {
        Target("CREATE TABLE odd (extra text DEFAULT 'dflt', \"LABEL\" varchar(40), id int PRIMARY KEY)");
        var copied = Shell.Run("Copy-DbTable -Query 'SELECT label, id FROM things' -Engine $src -Destination $dst -DestinationTable odd").Single();
        Assert.Equal(3L, copied.Prop("Rows"));
        Assert.Equal("1:comma, and \"quotes\":dflt|2::dflt|3:two\nlines:dflt", TargetScalar(
            "SELECT string_agg(id || ':' || coalesce(\"LABEL\", '') || ':' || extra, '|' ORDER BY id) FROM odd"));
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void A_type_binary_COPY_cannot_carry_is_an_error_naming_the_column_and_lands_nothing()
    {
        Target("DROP TABLE things; CREATE TABLE things (id bigint, label text)");
        var wrong = Shell.Invoke("Copy-DbTable -Query 'SELECT id, label FROM things' -Engine $src -Destination $dst -DestinationTable things -Truncate");
        Assert.Equal("PgUsers.ColumnTypeMismatch,PgUsers.Commands.CopyDbTableCommand", wrong.Error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidType, wrong.Error.CategoryInfo.Category);
        Assert.Equal("id", wrong.Error.TargetObject);
        Assert.Equal("Column 'id': the source's integer cannot be copied in binary into the destination's bigint; cast it in a -Query (\"id\"::bigint) or copy into a table of matching types.",
            wrong.Error.Exception.Message);

        var missing = Shell.Invoke("Copy-DbTable things -Columns label, note -Engine $src -Destination $dst");
        Assert.Equal("PgUsers.ColumnNotFound,PgUsers.Commands.CopyDbTableCommand", missing.Error!.FullyQualifiedErrorId);
        Assert.Equal("note", missing.Error.TargetObject);

        // The cast the message suggests works.
        Target("INSERT INTO things VALUES (9, 'kept')");
        Shell.Run("Copy-DbTable -Query 'SELECT id::bigint AS id, label FROM things' -Engine $src -Destination $dst -DestinationTable things -Truncate | Out-Null");
        Assert.Equal(3L, Convert.ToInt64(TargetScalar("SELECT count(*) FROM things")));
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void An_error_on_either_side_mid_stream_lands_nothing_not_even_the_truncate_or_the_new_table()
    {
        Sql("CREATE TABLE big AS SELECT g AS id, md5(g::text) AS label FROM generate_series(1, 100000) g");
        Target("CREATE TABLE big (id int PRIMARY KEY, label text); INSERT INTO big VALUES (50001, 'already here')");

        // The unique violation comes at row 50,001 of the destination's COPY.
        var duplicate = Shell.Invoke("Copy-DbTable big -Engine $src -Destination $dst");
        Assert.Equal("PgUsers.Sql.23505,PgUsers.Commands.CopyDbTableCommand", duplicate.Error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, duplicate.Error.CategoryInfo.Category);
        Assert.Equal("1:already here", TargetScalar("SELECT count(*) || ':' || max(label) FROM big"));

        // The source's query fails at row 50,001: the truncate is rolled back with the rest.
        var division = Shell.Invoke("Copy-DbTable -Query 'SELECT id, label || (1 / (id - 50001)) AS label FROM big' -Engine $src -Destination $dst -DestinationTable big -Truncate");
        Assert.Equal("PgUsers.Sql.22012,PgUsers.Commands.CopyDbTableCommand", division.Error!.FullyQualifiedErrorId);
        Assert.Equal("1:already here", TargetScalar("SELECT count(*) || ':' || max(label) FROM big"));

        // -AutoCreate's table goes with the failed copy.
        var created = Shell.Invoke("Copy-DbTable -Query 'SELECT id, 1 / (id - 50001) AS x FROM big' -Engine $src -Destination $dst -DestinationTable made -AutoCreate");
        Assert.Equal("PgUsers.Sql.22012,PgUsers.Commands.CopyDbTableCommand", created.Error!.FullyQualifiedErrorId);
        Assert.Null(TargetScalar("SELECT to_regclass('made')::text"));
        AssertNothingCheckedOutAnywhere();
        Sql("DROP TABLE big");
        Target("DROP TABLE big");
    }

    [Fact]
    public void Ctrl_C_mid_copy_lands_nothing_stops_both_servers_and_returns_both_connections()
    {
        Target("CREATE TABLE made (g bigint, h text)");
        using var running = Background.Start("""
            $src = New-DbEngine $url -Name src; $dst = New-DbEngine $targetUrl -Name dst
            Copy-DbTable -Query 'SELECT g::bigint, md5(g::text) AS h FROM (SELECT generate_series(1, 100000000) AS g) s' -Engine $src -Destination $dst -DestinationTable made
            """, ("url", Url), ("targetUrl", Shell.Get<string>("targetUrl")));
        // Rows are flowing once the destination's COPY has received some (the series in the select list streams;
        // in FROM it would be materialized first).
        Assert.True(Background.WaitUntil(() => Progressed(running), TimeSpan.FromSeconds(90)));
        Assert.False(running.IsCompleted);
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.Equal(new object?[] { 0, 0 }, running.Host.Values("$src.CheckedOut; $dst.CheckedOut"));
        Assert.Equal(0L, Convert.ToInt64(TargetScalar("SELECT count(*) FROM made")));
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%' AND state = 'active' AND pid <> pg_backend_pid()")) == 0, TimeSpan.FromSeconds(10)));
    }

    private bool Progressed(Background running) =>
        running.IsCompleted || Convert.ToInt64(SqlScalar(
            "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE command = 'COPY FROM'")) > 10000;

    [Fact]
    public void The_same_database_works_and_a_table_onto_itself_is_refused()
    {
        Sql("DROP TABLE IF EXISTS twin; CREATE TABLE twin (LIKE things)");
        var copied = Shell.Run("Copy-DbTable things -Engine $src -Destination $src -DestinationTable twin").Single();
        Assert.Equal(3L, copied.Prop("Rows"));
        Assert.Equal(SqlScalar(Digest), SqlScalar(Digest.Replace("FROM things", "FROM twin")));

        var itself = Shell.Invoke("Copy-DbTable things -Engine $src -Destination $url -Truncate");
        Assert.Equal("PgUsers.SameTable,PgUsers.Commands.CopyDbTableCommand", itself.Error!.FullyQualifiedErrorId);
        Assert.Equal(3L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM things")));
        Assert.Equal(0, Convert.ToInt32(Shell.Values("(Get-DbEngine | Measure-Object CheckedOut -Sum).Sum + $src.CheckedOut").Single()));
    }

    [Fact]
    public void A_session_as_the_destination_lands_the_rows_only_when_it_commits()
    {
        // (No -Truncate here: its lock would keep this test's own reader waiting until the commit.)
        Shell.Run("$s = New-DbSession -Engine $dst; Copy-DbTable things -Engine $src -Destination $s | Out-Null");
        Assert.Equal(0L, Convert.ToInt64(TargetScalar("SELECT count(*) FROM things")));
        Shell.Run("$s.Commit(); $s.Dispose()");
        Assert.Equal(SqlScalar(Digest), TargetScalar(Digest));

        // A failed copy dooms the session's unit of work; rolled back, nothing of it stays.
        var failed = Shell.Invoke("$s = New-DbSession -Engine $dst; Invoke-DbQuery -Session $s 'DELETE FROM things'; Copy-DbTable -Query 'SELECT 1 / 0 AS id' -Engine $src -Destination $s -DestinationTable things");
        Assert.Equal("PgUsers.Sql.22012,PgUsers.Commands.CopyDbTableCommand", failed.Error!.FullyQualifiedErrorId);
        Assert.NotNull(Shell.Values("$s.FailedBecause").Single());
        Shell.Run("$s.Dispose()");
        Assert.Equal(SqlScalar(Digest), TargetScalar(Digest));

        var same = Shell.Invoke("$s = New-DbSession -Engine $dst; try { Copy-DbTable things -Session $s -Destination $s } finally { $s.Dispose() }");
        Assert.Equal("PgUsers.SameConnection,PgUsers.Commands.CopyDbTableCommand", same.Error!.FullyQualifiedErrorId);
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void WhatIf_changes_nothing_and_bad_destinations_are_clear_errors()
    {
        var whatIf = Shell.Invoke("Copy-DbTable things -Engine $src -Destination $dst -DestinationTable made -AutoCreate -WhatIf -Verbose");
        Assert.Null(whatIf.Error);
        Assert.Empty(whatIf.Output);
        Assert.Contains(whatIf.Verbose, v => v.StartsWith("CREATE TABLE public.made (\n    \"id\" integer,"));
        Assert.Null(TargetScalar("SELECT to_regclass('made')::text"));

        var query = Shell.Invoke("Copy-DbTable -Query 'SELECT 1' -Engine $src -Destination $dst");
        Assert.Equal("PgUsers.DestinationTableRequired,PgUsers.Commands.CopyDbTableCommand", query.Error!.FullyQualifiedErrorId);
        var notEngine = Shell.Invoke("Copy-DbTable things -Engine $src -Destination 42");
        Assert.Contains("-Destination takes an engine", notEngine.Error!.Exception.Message);
        var badUrl = Shell.Invoke("Copy-DbTable things -Engine $src -Destination 'postgresql://u:s3cret@[::1'");
        Assert.Contains("-Destination takes an engine", badUrl.Error!.Exception.Message);
        Assert.DoesNotContain("s3cret", badUrl.AllText());
        AssertNothingCheckedOutAnywhere();
    }

    [Fact]
    public void A_long_copy_shows_its_progress_in_rows_and_megabytes()
    {
        Sql("CREATE TABLE wide AS SELECT g AS id, repeat(md5(g::text), 4) AS label FROM generate_series(1, 100000) g; ANALYZE wide");
        Target("CREATE TABLE wide (id int, label text)");
        var result = Shell.Invoke("Copy-DbTable wide -Engine $src -Destination $dst");
        Assert.Null(result.Error);
        Assert.Equal(100000L, result.Output.Single().Prop("Rows"));
        // The table's estimated rows (ANALYZE's) give a percentage.
        Assert.Contains(result.Progress, p => p.Activity == "Copy-DbTable" && p.PercentComplete is > 0 and < 100
            && System.Text.RegularExpressions.Regex.IsMatch(p.StatusDescription, @"^[\d,]+ rows, \d+\.\d MB copied$"));
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
        Sql("DROP TABLE wide");
        Target("DROP TABLE wide");
    }
}
