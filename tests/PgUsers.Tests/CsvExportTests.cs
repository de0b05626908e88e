using System.IO.Compression;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Export-DbCsv on a real server: round trips through Import-Csv and Import-DbCsv, files kept or replaced, stops.</summary>
public sealed class CsvExportTests : DbTest
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-csv-export-").FullName;

    public CsvExportTests(ServerFixture server) : base(server)
    {
        // Every awkward value a CSV cell can hold: delimiters, quotes, line breaks, NULL beside '', non-ASCII.
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery @'
            DROP TABLE IF EXISTS things;
            CREATE TABLE things (id int PRIMARY KEY, label text, note varchar(20), amount numeric, done boolean,
                at timestamptz, tags text[], doc jsonb, parent int REFERENCES things (id));
            INSERT INTO things VALUES
                (1, 'comma, and "quotes"', '', 1.50, true, '2024-01-02 03:04:05.678+00', '{a,"b c"}', '{"k": "v, w"}', 3),
                (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                (3, e'two\nlines\r\nand a tab\t', '""', -0.000001, false, '1999-12-31 23:59:59+00', '{}', '[]', 2),
                (4, 'Ünïcødé ✓ 😀', ' padded ', 12345678901234567890.123, true, 'infinity', '{NULL}', 'null', 1);
            '@
            """);
        Shell.Set("folder", _folder);
    }

    private string Fingerprint() => (string)SqlScalar(
        "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY id)), '') FROM things t")!;

    private string[] LeftoverFiles() => Directory.GetFiles(_folder, "*.partial").Concat(Directory.GetFiles(_folder, ".*")).ToArray();

    [Theory]
    [InlineData("things.csv")]
    [InlineData("things.csv.gz")]
    public void What_Export_DbCsv_writes_Import_Csv_reads_and_Import_DbCsv_loads_back_to_the_same_rows(string name)
    {
        string before = Fingerprint();
        string path = Path.Combine(_folder, name);
        var written = Shell.Run($"Export-DbCsv '{path}' -Table things").Single();
        Assert.Equal(4L, written.Prop("Rows"));
        Assert.Equal("public.things", written.Prop("Table"));
        Assert.Equal(new FileInfo(path).Length, written.Prop("Bytes"));
        string text;
        using (var file = File.OpenRead(path))
        using (Stream bytes = name.EndsWith(".gz") ? new GZipStream(file, CompressionMode.Decompress) : file)
        {
            text = new StreamReader(bytes).ReadToEnd();
        }
        Assert.StartsWith("id,label,note", text);
        Shell.Set("text", text);

        // Import-Csv reads it: NULL and '' both come back as empty strings, the rest as written.
        var rows = Shell.Run("$text | ConvertFrom-Csv").ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal("comma, and \"quotes\"", rows[0].Prop("label"));
        Assert.Equal("{a,\"b c\"}", rows[0].Prop("tags"));
        Assert.Equal("", rows[1].Prop("label"));
        Assert.Equal("two\nlines\r\nand a tab\t", rows[2].Prop("label"));
        Assert.Equal("\"\"", rows[2].Prop("note"));
        Assert.Equal("Ünïcødé ✓ 😀", rows[3].Prop("label"));
        Assert.Equal(" padded ", rows[3].Prop("note"));

        // Import-DbCsv loads it back exactly: NULL stays NULL, '' stays '', the self-reference in any order.
        Shell.Run("Invoke-DbQuery 'TRUNCATE things'");
        var loaded = Shell.Run($"Import-DbCsv '{path}' things").Single();
        Assert.Equal(4L, loaded.Prop("Rows"));
        Assert.Equal(before, Fingerprint());
        Assert.DoesNotContain(LeftoverFiles(), f => !f.EndsWith(name));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_query_exports_its_rows_with_bound_parameters_a_delimiter_and_no_header()
    {
        string path = Path.Combine(_folder, "query.csv");
        var written = Shell.Run($$"""
            Export-DbCsv '{{path}}' -Query "SELECT id, label FROM things WHERE id > @min AND label <> :skip ORDER BY id -- trailing comment" `
                -Parameters @{ min = 1; skip = "x'; DROP TABLE things; --" } -Delimiter ';' -NoHeader
            """).Single();
        Assert.Equal(2L, written.Prop("Rows"));
        Assert.Null(written.Prop("Table"));
        Assert.Equal("\"3\";\"two\nlines\r\nand a tab\t\"\n\"4\";\"Ünïcødé ✓ 😀\"\n", File.ReadAllText(path));

        var plain = Shell.Run($"Export-DbCsv '{path}' -Query 'SELECT 1 AS one, NULL AS none, '''' AS empty;'").Single();
        Assert.Equal(1L, plain.Prop("Rows"));
        Assert.Equal("one,none,empty\n\"1\",,\"\"\n", File.ReadAllText(path));
        Assert.Equal(4L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM things")));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void An_existing_file_is_replaced_unless_NoClobber_and_a_read_only_one_only_with_Force()
    {
        string path = Path.Combine(_folder, "existing.csv");
        File.WriteAllText(path, "old");
        Shell.Run($"Export-DbCsv '{path}' things | Out-Null");
        Assert.StartsWith("id,label", File.ReadAllText(path));

        File.WriteAllText(path, "old");
        var kept = Shell.Invoke($"Export-DbCsv '{path}' things -NoClobber");
        Assert.Equal("PgUsers.FileExists,PgUsers.Commands.ExportDbCsvCommand", kept.Error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, kept.Error.CategoryInfo.Category);
        Assert.Equal(path, kept.Error.TargetObject);
        Assert.Equal("old", File.ReadAllText(path));

        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            var readOnly = Shell.Invoke($"Export-DbCsv '{path}' things");
            Assert.Equal("PgUsers.FileReadOnly,PgUsers.Commands.ExportDbCsvCommand", readOnly.Error!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, readOnly.Error.CategoryInfo.Category);
            Assert.Equal("old", File.ReadAllText(path));
            Shell.Run($"Export-DbCsv '{path}' things -Force | Out-Null");
            Assert.StartsWith("id,label", File.ReadAllText(path));
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
        Assert.Empty(LeftoverFiles());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_failed_export_leaves_no_partial_file_and_the_existing_file_as_it_was()
    {
        string path = Path.Combine(_folder, "failed.csv");
        File.WriteAllText(path, "old");
        // The division by zero comes after 50,000 rows have streamed into the file.
        var result = Shell.Invoke($"Export-DbCsv '{path}' -Query 'SELECT g, 1 / (g - 50001) AS x FROM generate_series(1, 100000) g'");
        Assert.Equal("PgUsers.Sql.22012,PgUsers.Commands.ExportDbCsvCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(LeftoverFiles());

        var table = Shell.Invoke($"Export-DbCsv '{_folder}/none.csv' -Table nosuch");
        Assert.Equal("PgUsers.TableNotFound,PgUsers.Commands.ExportDbCsvCommand", table.Error!.FullyQualifiedErrorId);
        var folder = Shell.Invoke($"Export-DbCsv '{_folder}/no/such/folder.csv' -Table things");
        Assert.Equal("PgUsers.DirectoryNotFound,PgUsers.Commands.ExportDbCsvCommand", folder.Error!.FullyQualifiedErrorId);
        Assert.False(File.Exists(Path.Combine(_folder, "none.csv")));
        Assert.Empty(LeftoverFiles());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Ctrl_C_mid_export_removes_the_partial_file_and_returns_the_connection()
    {
        string path = Path.Combine(_folder, "stopped.csv");
        using var running = Background.Start(
            $"New-DbEngine $url | Out-Null\nExport-DbCsv '{path}' -Query 'SELECT g, md5(g::text) FROM generate_series(1, 100000000) g'", ("url", Url));
        Assert.True(Background.WaitUntil(() => Directory.GetFiles(_folder, "*.partial").Any(f => new FileInfo(f).Length > 1_000_000), TimeSpan.FromSeconds(60)));
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.False(File.Exists(path));
        Assert.Empty(LeftoverFiles());
        Assert.Equal(0, running.Host.Values("(Get-DbEngine -Default).CheckedOut").Single());
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%generate_series%' AND state = 'active' AND pid <> pg_backend_pid()")) == 0, TimeSpan.FromSeconds(10)));
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
