using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Write-DbTable: pipeline objects of every shape into any table, strictly, in one COPY and one transaction.</summary>
public sealed class WriteDbTableTests : DbTest
{
    public WriteDbTableTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery @'
            DROP TABLE IF EXISTS items, "Odd ""Name"".x", gen, nokey, shelves CASCADE;
            DROP SCHEMA IF EXISTS "My Schema" CASCADE;
            CREATE TABLE items (id bigint PRIMARY KEY, name varchar(10) NOT NULL, qty integer, price numeric(8,2), added timestamptz DEFAULT now(), note text DEFAULT 'none');
            CREATE SCHEMA "My Schema";
            CREATE TABLE "My Schema"."Odd ""Name"".x" ("Order Id" int PRIMARY KEY, "Mixed Case" text);
            CREATE TABLE gen (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n int, twice int GENERATED ALWAYS AS (n * 2) STORED);
            CREATE TABLE nokey (a int, b text);
            '@
            """);
    }

    private long Count(string table) => Convert.ToInt64(SqlScalar($"SELECT count(*) FROM {table}"));

    [Fact]
    public void Objects_of_every_shape_land_in_one_COPY_and_one_transaction()
    {
        var result = Shell.Invoke("""
            $table = [System.Data.DataTable]::new(); [void]$table.Columns.Add('id', [long]); [void]$table.Columns.Add('name'); [void]$table.Rows.Add(5, 'datarow')
            $row = Invoke-DbQuery "SELECT 4::bigint AS id, 'dbrow' AS name"
            @(
                [pscustomobject]@{ id = 1; name = 'custom'; qty = 3; price = 9.99 }
                @{ id = 2; name = 'hash'; Qty = '7' }
                ('id,name,QTY' + "`n" + '3,csv,11' | ConvertFrom-Csv)
                $row
                $table.Rows[0]
            ) | Write-DbTable items -Verbose
            """);
        Assert.Null(result.Error);
        Assert.Equal(5L, Count("items"));
        Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(DISTINCT xmin::text) FROM items")));
        Assert.Equal(11, SqlScalar("SELECT qty FROM items WHERE id = 3"));
        Assert.Equal(9.99m, SqlScalar("SELECT price FROM items WHERE id = 1"));
        Assert.Equal("none", SqlScalar("SELECT note FROM items WHERE id = 2"));
        Assert.Equal(5L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM items WHERE added IS NOT NULL")));
        Assert.Contains(result.Verbose, v => v.Contains("Wrote 5 rows into public.items"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void InputObject_given_a_collection_writes_each_item_as_a_pipeline_would()
    {
        var result = Shell.Invoke("""
            $rows = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } }
            Write-DbTable items -InputObject $rows -Verbose
            $table = [System.Data.DataTable]::new(); [void]$table.Columns.Add('id', [long]); [void]$table.Columns.Add('name')
            [void]$table.Rows.Add(4, 'four'); [void]$table.Rows.Add(5, 'five')
            Write-DbTable items -InputObject $table
            Write-DbTable items -InputObject ([pscustomobject]@{ id = 6; name = 'one' })
            Write-DbTable items -InputObject ([System.Collections.Generic.List[object]]@(@{ id = 7; name = 'list' }))
            Write-DbTable items -InputObject @{ id = 10; name = 'hash' }
            """);
        Assert.Null(result.Error);
        Assert.Contains(result.Verbose, v => v.Contains("Wrote 3 rows into public.items"));
        // A hashtable is one record, as a pipeline takes it, not its entries.
        Assert.Equal(new object?[] { "n1", "n2", "n3", "four", "five", "one", "list", "hash" }, Sql("SELECT name FROM items ORDER BY id").Select(r => r[0]));

        var refused = Shell.Invoke("Write-DbTable items -InputObject @(@{ id = 8; name = 'ok' }, @{ id = 9; name = 'far too long a name' })");
        Assert.Equal("PgUsers.InvalidRecord,PgUsers.Commands.WriteDbTableCommand", refused.Error!.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 2 is not valid: name", refused.Error.Exception.Message);
        Assert.Equal(8L, Count("items"));
    }

    [Fact]
    public void Objects_whose_properties_change_order_or_names_mid_load_bind_each_by_name()
    {
        Shell.Run("""
            @(
                [pscustomobject]@{ id = 1; name = 'a'; qty = 10 }
                [pscustomobject]@{ qty = 20; id = 2; name = 'b' }
                [pscustomobject]@{ id = 3; Name = 'c'; QTY = 30 }
                [pscustomobject]@{ name = 'd'; id = 4 }
                @{ id = 5; qty = 50; name = 'e' }
            ) | Write-DbTable items
            """);
        Assert.Equal(new[] { "1 a 10", "2 b 20", "3 c 30", "4 d ", "5 e 50" },
            Sql("SELECT id, name, qty FROM items ORDER BY id").Select(r => $"{r[0]} {r[1]} {r[2]}"));
    }

    [Fact]
    public void Properties_bind_exactly_then_by_case_then_ignoring_underscores_and_through_ColumnMap()
    {
        Shell.Run("""
            Invoke-DbQuery 'CREATE TABLE binding (order_id int, "Name" text, "name" text, label text)'
            [pscustomobject]@{ OrderId = 1; Name = 'exact'; Title = 'mapped' } | Write-DbTable binding -ColumnMap @{ Title = 'label' }
            """);
        Assert.Equal(new object?[] { 1, "exact", null, "mapped" }, Sql("SELECT order_id, \"Name\", name, label FROM binding").Single());
        Sql("DROP TABLE binding");
    }

    [Fact]
    public void An_unknown_property_is_an_error_unless_IgnoreUnknownProperties()
    {
        var result = Shell.Invoke("[pscustomobject]@{ id = 1; name = 'a'; colour = 'red' } | Write-DbTable items");
        Assert.Equal("PgUsers.InvalidRecord,PgUsers.Commands.WriteDbTableCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains("Input record 1 is not valid: its property colour names no column of public.items", result.Error.Exception.Message);
        Assert.Equal(0L, Count("items"));
        Shell.Run("[pscustomobject]@{ id = 1; name = 'a'; colour = 'red' } | Write-DbTable items -IgnoreUnknownProperties");
        Assert.Equal(1L, Count("items"));
    }

    [Fact]
    public void A_missing_property_is_the_default_and_null_is_NULL()
    {
        Shell.Run("""
            @{ id = 1; name = 'a' }, @{ id = 2; name = 'b'; note = $null }, @{ id = 3; name = 'c' } | Write-DbTable items
            """);
        Assert.Equal(new object?[] { "none", null, "none" }, Sql("SELECT note FROM items ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void A_bad_value_names_the_record_the_column_and_the_value_and_nothing_lands()
    {
        var result = Shell.Invoke("1..5 | ForEach-Object { [pscustomobject]@{ id = $_; name = 'n'; qty = if ($_ -eq 4) { 'x' } else { $_ } } } | Write-DbTable items");
        Assert.Equal("PgUsers.InvalidRecord,PgUsers.Commands.WriteDbTableCommand", result.Error!.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 4 is not valid: qty 'x' is not a whole number", result.Error.Exception.Message);
        Assert.Equal(ErrorCategory.InvalidData, result.Error.CategoryInfo.Category);
        Assert.Equal(0L, Count("items"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void SkipInvalid_writes_one_error_per_bad_record_and_loads_the_rest()
    {
        var result = Shell.Invoke("1..5 | ForEach-Object { [pscustomobject]@{ id = $_; name = if ($_ % 2) { 'ok' } else { 'far too long a name' } } } | Write-DbTable items -SkipInvalid");
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("Input record 2 is not valid: name 'far too long a name' is 19 characters long; the column holds at most 10", result.Errors[0].Exception.Message);
        Assert.Equal(new object?[] { 1L, 3L, 5L }, Sql("SELECT id FROM items ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void A_server_refusal_during_COPY_names_the_input_record()
    {
        Sql("ALTER TABLE items ADD CONSTRAINT positive CHECK (qty > 0)");
        const string Input = "1..6 | ForEach-Object { [pscustomobject]@{ id = $_; name = 'n'; qty = if ($_ -eq 5) { -1 } elseif ($_ -eq 2) { 'bad' } else { 1 } } }";
        var failed = Shell.Invoke("1..6 | ForEach-Object { [pscustomobject]@{ id = $_; name = 'n'; qty = if ($_ -eq 5) { -1 } else { 1 } } } | Write-DbTable items");
        Assert.Equal("PgUsers.Sql.23514,PgUsers.Commands.WriteDbTableCommand", failed.Error!.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 5 was not written: new row for relation \"items\" violates check constraint \"positive\"", failed.Error.Exception.Message);
        Assert.EndsWith("Nothing was written.", failed.Error.Exception.Message);
        Assert.Equal(0L, Count("items"));

        var result = Shell.Invoke(Input + " | Write-DbTable items -SkipInvalid -Verbose");
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("Input record 2 is not valid: qty 'bad'", result.Errors[0].Exception.Message);
        AssertRefused(result.Errors[1], 5, "23514", "new row for relation \"items\" violates check constraint \"positive\"");
        Assert.Equal(new object?[] { 1L, 3L, 4L, 6L }, Sql("SELECT id FROM items ORDER BY id").Select(r => r[0]));
        Assert.Contains(result.Verbose, v => v.Contains("Wrote 4 rows into public.items") && !v.Contains("skipped"));
        AssertNothingCheckedOut();
    }

    /// <summary>A record the server refused under -SkipInvalid: a non-terminating error naming it, with the server's SQLSTATE and message, about the table.</summary>
    private static void AssertRefused(ErrorRecord error, long record, string sqlState, string message)
    {
        Assert.Equal($"PgUsers.Sql.{sqlState},PgUsers.Commands.WriteDbTableCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith($"Input record {record} was not written: {message}", error.Exception.Message);
        Assert.DoesNotContain("Nothing was written", error.Exception.Message);
        Assert.Equal(sqlState == "23505" ? ErrorCategory.ResourceExists : ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("public.items", error.TargetObject);
    }

    [Fact]
    public void SkipInvalid_skips_a_record_whose_foreign_key_is_found_nowhere()
    {
        Sql("CREATE TABLE shelves (id int PRIMARY KEY); INSERT INTO shelves VALUES (1), (2); ALTER TABLE items ADD COLUMN shelf int REFERENCES shelves");
        var result = Shell.Invoke("1..5 | ForEach-Object { @{ id = $_; name = 'n'; shelf = if ($_ -eq 3) { 9 } else { $_ % 2 + 1 } } } | Write-DbTable items -SkipInvalid");
        Assert.Null(result.Terminating);
        AssertRefused(Assert.Single(result.Errors), 3, "23503", "insert or update on table \"items\" violates foreign key constraint");
        Assert.Equal(new object?[] { 1L, 2L, 4L, 5L }, Sql("SELECT id FROM items ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void SkipInvalid_skips_a_key_already_stored_and_a_key_repeated_in_the_input()
    {
        Shell.Run("@{ id = 2; name = 'stored' } | Write-DbTable items");
        var result = Shell.Invoke("""
            @{ id = 1; name = 'one' }, @{ id = 2; name = 'again' }, @{ id = 3; name = 'three' }, @{ id = 3; name = 'repeat' }, @{ id = 4; name = 'four' } |
                Write-DbTable items -SkipInvalid -OnConflict Error
            """);
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        AssertRefused(result.Errors[0], 2, "23505", "duplicate key value violates unique constraint \"items_pkey\"");
        AssertRefused(result.Errors[1], 4, "23505", "duplicate key value violates unique constraint \"items_pkey\"");
        Assert.Equal(new[] { "1 one", "2 stored", "3 three", "4 four" }, Sql("SELECT id || ' ' || name FROM items ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void SkipInvalid_reports_refused_records_by_their_input_number_in_order_whoever_refused_them()
    {
        Sql("ALTER TABLE items ADD CONSTRAINT positive CHECK (qty > 0)");
        // Two sets of given columns, each moved by its own statement: the later set's refusal (record 3) comes first in the input.
        var result = Shell.Invoke("""
            @(
                @{ id = 1; name = 'one' }
                @{ id = 2; name = 'far too long a name' }
                @{ id = 3; name = 'three'; qty = -3 }
                @{ id = 4; name = 'four' }
                @{ id = 1; name = 'repeat' }
                @{ id = 6; name = 'six'; qty = 'x' }
                @{ id = 7; name = 'seven'; qty = 7 }
                @{ id = 8; name = 'eight'; qty = 0 }
            ) | Write-DbTable items -SkipInvalid
            """);
        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "PgUsers.InvalidRecord", "PgUsers.InvalidRecord", "PgUsers.Sql.23514", "PgUsers.Sql.23505", "PgUsers.Sql.23514" },
            result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.StartsWith("Input record 2 is not valid", result.Errors[0].Exception.Message);
        Assert.StartsWith("Input record 6 is not valid", result.Errors[1].Exception.Message);
        AssertRefused(result.Errors[2], 3, "23514", "new row for relation \"items\" violates check constraint \"positive\"");
        AssertRefused(result.Errors[3], 5, "23505", "duplicate key value");
        AssertRefused(result.Errors[4], 8, "23514", "new row for relation \"items\" violates check constraint \"positive\"");
        Assert.Equal(new[] { "1 one", "4 four", "7 seven" }, Sql("SELECT id || ' ' || name FROM items ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void SkipInvalid_with_PassThru_returns_each_stored_row_once_and_OnConflict_still_applies()
    {
        Sql("ALTER TABLE items ADD CONSTRAINT positive CHECK (qty > 0)");
        Shell.Run("@{ id = 1; name = 'old'; qty = 1 }, @{ id = 2; name = 'old'; qty = 1 } | Write-DbTable items");
        const string Input = "1..40 | ForEach-Object { @{ id = $_ % 20 + 1; name = \"n$_\"; qty = if ($_ % 7) { $_ } else { -$_ } } }";
        var rows = Shell.Invoke(Input + " | Write-DbTable items -SkipInvalid -OnConflict Update -PassThru");
        Assert.Null(rows.Terminating);
        // The last record per key is the one written: 7 and 14 give way to 27 and 34 unchecked; a refused last record
        // (21, 28, 35) leaves its key as it was, the earlier records for it given way to it.
        Assert.Equal(new long[] { 21, 28, 35 }, rows.Errors.Select(e => long.Parse(e.Exception.Message.Split(' ')[2])));
        Assert.All(rows.Errors, e => Assert.Equal("PgUsers.Sql.23514,PgUsers.Commands.WriteDbTableCommand", e.FullyQualifiedErrorId));
        var stored = Sql("SELECT id, name, qty FROM items ORDER BY id").Select(r => $"{r[0]} {r[1]} {r[2]}").ToList();
        var returned = rows.Output.Select(r => $"{r.Prop("id")} {r.Prop("name")} {r.Prop("qty")}").OrderBy(r => long.Parse(r.Split(' ')[0])).ToList();
        Assert.Equal(17, returned.Count);
        Assert.Equal(stored.Where(r => r != "2 old 1"), returned);
        Assert.DoesNotContain(stored, r => r.StartsWith("9 ") || r.StartsWith("16 "));

        Sql("DELETE FROM items");
        var skipped = Shell.Invoke("1..6 | ForEach-Object { @{ id = $_ % 3; name = \"n$_\"; qty = if ($_ -eq 2) { 0 } else { $_ } } } | Write-DbTable items -SkipInvalid -OnConflict Skip -PassThru");
        AssertRefused(Assert.Single(skipped.Errors), 2, "23514", "new row");
        Assert.Equal(new object?[] { "n1", "n3", "n5" }, skipped.Output.Select(r => r.Prop("name")));
        Assert.Equal(new[] { "0 n3", "1 n1", "2 n5" }, Sql("SELECT id || ' ' || name FROM items ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void SkipInvalid_keeps_Truncate_and_KeepIdentity_and_works_inside_a_session()
    {
        Sql("ALTER TABLE gen ADD CONSTRAINT positive CHECK (n > 0); INSERT INTO gen (n) VALUES (100)");
        var result = Shell.Invoke("@{ id = 7; n = 1 }, @{ id = 8; n = -1 }, @{ id = 9; n = 3 } | Write-DbTable gen -SkipInvalid -KeepIdentity -Truncate");
        Assert.Null(result.Terminating);
        Assert.StartsWith("Input record 2 was not written: new row for relation \"gen\" violates check constraint \"positive\"", Assert.Single(result.Errors).Exception.Message);
        Assert.Equal(new[] { "7 1 2", "9 3 6" }, Sql("SELECT id || ' ' || n || ' ' || twice FROM gen ORDER BY id").Select(r => r[0]));

        var session = Shell.Invoke("""
            Use-DbSession {
                @{ n = 4 }, @{ n = 0 }, @{ n = 5 } | Write-DbTable gen -SkipInvalid -PassThru | Out-Null
                Invoke-DbQuery 'SELECT count(*) FROM gen'
            }
            """);
        Assert.Null(session.Terminating);
        Assert.StartsWith("Input record 2 was not written", Assert.Single(session.Errors).Exception.Message);
        Assert.Equal(4L, Convert.ToInt64(session.Output.Single().Prop("count")));
        Assert.Equal(new object?[] { 1, 3, 4, 5 }, Sql("SELECT n FROM gen ORDER BY n").Select(r => r[0]));
    }

    [Fact]
    public void OnConflict_Error_Skip_and_Update_on_the_primary_key_or_a_unique_constraint()
    {
        Shell.Run("@{ id = 1; name = 'one'; qty = 1 }, @{ id = 2; name = 'two'; qty = 2 } | Write-DbTable items");
        var error = Shell.Invoke("@{ id = 2; name = 'again' } | Write-DbTable items");
        Assert.Equal("PgUsers.Sql.23505,PgUsers.Commands.WriteDbTableCommand", error.Error!.FullyQualifiedErrorId);
        Assert.Contains("Input record 1 was not written", error.Error.Exception.Message);

        var skipped = Shell.Invoke("@{ id = 2; name = 'skip' }, @{ id = 3; name = 'three' } | Write-DbTable items -OnConflict Skip -Verbose");
        Assert.Null(skipped.Error);
        Assert.Contains(skipped.Verbose, v => v.Contains("Wrote 1 rows into public.items, 1 already there (skipped)"));
        Assert.Equal("two", SqlScalar("SELECT name FROM items WHERE id = 2"));

        Shell.Run("@{ id = 2; name = 'first' }, @{ id = 2; name = 'last' }, @{ id = 4; name = 'four' } | Write-DbTable items -OnConflict Update");
        Assert.Equal(new object?[] { "last", 2 }, Sql("SELECT name, qty FROM items WHERE id = 2").Single());
        Assert.Equal(4L, Count("items"));

        Sql("CREATE UNIQUE INDEX items_name ON items (name)");
        Shell.Run("@{ id = 99; name = 'four'; qty = 44 } | Write-DbTable items -OnConflict Update -ConflictColumns name");
        Assert.Equal(new object?[] { 99L, 44 }, Sql("SELECT id, qty FROM items WHERE name = 'four'").Single());
        var notKey = Shell.Invoke("@{ id = 5; name = 'x' } | Write-DbTable items -OnConflict Skip -ConflictColumns qty");
        Assert.Equal("PgUsers.NoConflictKey,PgUsers.Commands.WriteDbTableCommand", notKey.Error!.FullyQualifiedErrorId);
        var noKey = Shell.Invoke("@{ a = 1 } | Write-DbTable nokey -OnConflict Skip");
        Assert.Equal("PgUsers.NoConflictKey,PgUsers.Commands.WriteDbTableCommand", noKey.Error!.FullyQualifiedErrorId);
    }

    [Fact]
    public void Truncate_replaces_the_contents_in_the_same_transaction()
    {
        Shell.Run("@{ id = 1; name = 'old' }, @{ id = 2; name = 'old' } | Write-DbTable items");
        var failed = Shell.Invoke("@{ id = 3; name = 'new' }, @{ id = 4; name = 'far too long a name' } | Write-DbTable items -Truncate");
        Assert.NotNull(failed.Error);
        Assert.Equal(2L, Count("items"));
        Shell.Run("@{ id = 3; name = 'new' } | Write-DbTable items -Truncate");
        Assert.Equal(new object?[] { 3L }, Sql("SELECT id FROM items").Select(r => r[0]));
    }

    [Fact]
    public void PassThru_returns_the_rows_as_stored_with_defaults_and_identities()
    {
        var rows = Shell.Run("@{ n = 1 }, @{ n = 2 } | Write-DbTable gen -PassThru");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { 1, 2 }, rows.Select(r => r.Prop("id")));
        Assert.Equal(new object?[] { 2, 4 }, rows.Select(r => r.Prop("twice")));
        var stored = Shell.Run("@{ id = 10; name = 'x' } | Write-DbTable items -PassThru").Single();
        Assert.Equal("none", stored.Prop("note"));
        Assert.NotNull(stored.Prop("added"));
    }

    [Fact]
    public void Identity_always_is_refused_unless_KeepIdentity_and_generated_columns_are_never_written()
    {
        var refused = Shell.Invoke("@{ id = 7; n = 1 } | Write-DbTable gen");
        Assert.Contains("id, which is GENERATED ALWAYS AS IDENTITY", refused.Error!.Exception.Message);
        Shell.Run("@{ id = 7; n = 1; twice = 999 } | Write-DbTable gen -KeepIdentity");
        Assert.Equal(new object?[] { 7, 1, 2 }, Sql("SELECT id, n, twice FROM gen").Single());
        Shell.Run("@{ id = 8; n = 3 } | Write-DbTable gen -KeepIdentity -PassThru | Out-Null");
        Assert.Equal(2L, Count("gen"));
    }

    [Fact]
    public void Names_with_capitals_spaces_dots_and_quotes_are_resolved_not_spliced()
    {
        Shell.Run("""
            [pscustomobject]@{ 'Order Id' = 1; 'mixed case' = 'a' } | Write-DbTable 'Odd "Name".x' -Schema 'My Schema'
            [pscustomobject]@{ 'order id' = 2; Label = 'b' } | Write-DbTable '"My Schema"."Odd ""Name"".x"' -ColumnMap @{ Label = 'Mixed Case' }
            """);
        Assert.Equal(new object?[] { 1, 2 }, Sql("SELECT \"Order Id\" FROM \"My Schema\".\"Odd \"\"Name\"\".x\" ORDER BY 1").Select(r => r[0]));
        var missing = Shell.Invoke("@{ a = 1 } | Write-DbTable 'items; DROP TABLE items'");
        Assert.Equal("PgUsers.TableNotFound,PgUsers.Commands.WriteDbTableCommand", missing.Error!.FullyQualifiedErrorId);
        Assert.Equal(0L, Count("items"));
    }

    [Fact]
    public void AutoCreate_makes_the_table_from_the_first_object_and_shows_the_DDL()
    {
        var whatIf = Shell.Invoke("[pscustomobject]@{ Id = 1 } | Write-DbTable 'New Things' -AutoCreate -WhatIf");
        Assert.Null(whatIf.Error);
        Assert.Null(SqlScalar("SELECT to_regclass('\"New Things\"')::text"));
        var created = Shell.Invoke("""
            [pscustomobject]@{ Id = 1; Big = [long]5; Price = [decimal]1.5; Ratio = 0.25; Ok = $true; At = [datetime]'2024-01-02'; AtZone = [datetimeoffset]'2024-01-02T03:04:05+02:00'
                Key = [guid]::Empty; Bytes = [byte[]](1, 2); Doc = @{ a = 1 }; Tags = @('x', 'y'); Name = 'n' } | Write-DbTable 'New Things' -AutoCreate -PrimaryKey Id -Verbose
            """);
        Assert.Null(created.Error);
        Assert.Contains(created.Verbose, v => v.StartsWith("CREATE TABLE public.\"New Things\""));
        var types = Sql("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"New Things\"'::regclass AND attnum > 0 ORDER BY attnum")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("integer", types["Id"]);
        Assert.Equal("bigint", types["Big"]);
        Assert.Equal("numeric", types["Price"]);
        Assert.Equal("double precision", types["Ratio"]);
        Assert.Equal("boolean", types["Ok"]);
        Assert.Equal("timestamp without time zone", types["At"]);
        Assert.Equal("timestamp with time zone", types["AtZone"]);
        Assert.Equal("uuid", types["Key"]);
        Assert.Equal("bytea", types["Bytes"]);
        Assert.Equal("jsonb", types["Doc"]);
        Assert.Equal("text[]", types["Tags"]);
        Assert.Equal("text", types["Name"]);
        Assert.Equal(new object?[] { "Id" }, Sql("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = '\"New Things\"'::regclass AND i.indisprimary").Select(r => r[0]));
        Assert.Equal(1L, Count("\"New Things\""));
        Sql("DROP TABLE \"New Things\"");
    }

    [Fact]
    public void WhatIf_asks_once_per_table_and_writes_nothing()
    {
        var result = Shell.Invoke("1..3 | ForEach-Object { @{ id = $_; name = 'n' } } | Write-DbTable items -WhatIf");
        Assert.Null(result.Error);
        Assert.Equal(0L, Count("items"));
    }

    [Fact]
    public void Inside_a_session_the_rows_are_the_sessions_and_roll_back_with_it()
    {
        var result = Shell.Invoke("""
            Use-DbSession {
                @{ id = 1; name = 'in' } | Write-DbTable items
                throw 'undo'
            }
            """);
        Assert.NotNull(result.Terminating);
        Assert.Equal(0L, Count("items"));
        Shell.Run("Use-DbSession { @{ id = 1; name = 'in' } | Write-DbTable items }");
        Assert.Equal(1L, Count("items"));
    }
}
