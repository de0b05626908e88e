using System.IO.Compression;
using System.Text;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Import-DbCsv on a real server: headers, bad lines, .gz, -WhatIf, Ctrl+C.</summary>
public sealed class CsvImportTests : DbTest
{
    private const int Large = 100_000;
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-csv-import-").FullName;

    public CsvImportTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Add-DbUser 1 'Kept One' -LanguageCode en
            Add-DbUser 2 'Kept Two' -LanguageCode en -ReferrerId 1
            """);
        Shell.Set("folder", _folder);
    }

    /// <summary>A users CSV of <paramref name="count"/> rows in the folder; each user is referred by the next one (the referrer always comes later).</summary>
    private string WriteUsers(string name, int count, int? badLine = null)
    {
        var text = new StringBuilder("telegram_id,full_name,username,language_code,created_at,referrer_id\n");
        for (int i = 1; i <= count; i++)
        {
            // The header is line 1, so user i is on line i + 1.
            string referrer = i + 1 == badLine ? "12x" : i < count ? (1001 + i).ToString() : "1";
            text.Append(1000 + i).Append(",\"User ").Append(i).Append(", the ").Append(i).Append("th\",user").Append(i).Append(",en,,").Append(referrer).Append('\n');
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void A_large_file_loads_in_one_transaction_with_referrers_on_later_lines_and_progress_by_bytes()
    {
        string path = WriteUsers("large.csv", Large);
        var result = Shell.Invoke($"Import-DbCsv '{path}' -Table users -Verbose");
        Assert.Null(result.Error);
        var summary = result.Output.Single();
        Assert.Equal((long)Large, summary.Prop("Rows"));
        Assert.Equal(new FileInfo(path).Length, summary.Prop("Bytes"));
        Assert.Equal("public.users", summary.Prop("Table"));
        Assert.Equal(path, summary.Prop("Path"));
        Assert.IsType<TimeSpan>(summary.Prop("Elapsed"));
        Assert.Equal((long)Large + 2, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users")));
        Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(DISTINCT xmin::text) FROM users WHERE telegram_id > 1000")));
        Assert.Equal(Large - 1L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users WHERE referrer_id = telegram_id + 1")));
        Assert.Equal("User 7, the 7th", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 1007"));
        var progress = result.Progress.Where(p => p.Activity == "Import-DbCsv").ToList();
        Assert.True(progress.Count >= 5, $"{progress.Count} progress records");
        Assert.Contains(progress, p => p.PercentComplete is > 0 and < 100);
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
        Assert.Contains(result.Verbose, v => v.StartsWith($"Loaded {Large} rows from 1 file(s) into public.users"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_bad_cell_on_line_50001_of_100000_lands_nothing_and_the_error_names_the_line_and_the_column()
    {
        string before = UsersFingerprint();
        string path = WriteUsers("bad.csv", Large, badLine: 50_001);
        var result = Shell.Invoke($"Import-DbCsv '{path}' -Table users");
        var error = result.Error!;
        Assert.Equal("PgUsers.Sql.22P02,PgUsers.Commands.ImportDbCsvCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
        var line = LineError(error);
        Assert.Equal(50_001L, line.Prop("Line"));
        Assert.Equal("referrer_id", line.Prop("Column"));
        Assert.Equal(path, line.Prop("Path"));
        Assert.Equal("22P02", line.Prop("SqlState"));
        Assert.Contains("line 50001, column referrer_id", error.Exception.Message);
        Assert.Contains("\"12x\"", error.Exception.Message);
        Assert.Equal(before, UsersFingerprint());
        Assert.Empty(result.Output);
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Line_numbers_are_the_file_s_own_with_CRLF_line_breaks_inside_quoted_values_and_left_out_fields()
    {
        string path = Path.Combine(_folder, "lines.csv");
        File.WriteAllText(path, "telegram_id,Notes,full_name,language_code,referrer_id\r\n"
            + "40,\"a note,\r\nover two lines\",\"Forty\r\nthe second\",en,\r\n"
            + "41,,Forty-one,en,4x1\r\n");
        var result = Shell.Invoke($"Import-DbCsv '{path}' users -IgnoreUnknownColumns");
        var line = LineError(result.Error!);
        Assert.Equal((5L, "referrer_id"), (line.Prop("Line"), line.Prop("Column")));
        AssertNothingCheckedOut();

        File.WriteAllText(path, File.ReadAllText(path).Replace("4x1", "40"));
        Assert.Equal(2L, Shell.Run($"Import-DbCsv '{path}' users -IgnoreUnknownColumns").Single().Prop("Rows"));
        Assert.Equal("Forty\r\nthe second", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 40"));
    }

    [Fact]
    public void A_referrer_in_neither_the_file_nor_the_table_lands_nothing()
    {
        string before = UsersFingerprint();
        string path = Path.Combine(_folder, "orphan.csv");
        File.WriteAllText(path, "telegram_id,full_name,language_code,referrer_id\n50,Fifty,en,51\n51,Fifty-one,en,999\n");
        var result = Shell.Invoke($"Import-DbCsv '{path}' users");
        Assert.Equal("PgUsers.Sql.23503,PgUsers.Commands.ImportDbCsvCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Equal(path, result.Error.TargetObject);
        Assert.Contains("(referrer_id)=(999)", result.Error.Exception.Message);
        Assert.Equal(before, UsersFingerprint());
        AssertNothingCheckedOut();
    }

    /// <summary>The error's exception, a PgUsers.DbCsvLineException, as PowerShell sees it.</summary>
    private static PSObject LineError(ErrorRecord error)
    {
        Assert.Equal("PgUsers.DbCsvLineException", error.Exception.GetType().FullName);
        return PSObject.AsPSObject(error.Exception);
    }

    [Fact]
    public void PowerShell_style_headers_load_into_users_and_a_bad_value_names_the_header_too()
    {
        Shell.Run($"""
            Invoke-DbQuery "UPDATE users SET created_at = '2024-05-06 07:08:09'"
            Get-DbUser | Select-Object TelegramId, FullName, Username, LanguageCode, CreatedAt, ReferrerId | Export-Csv '{_folder}/ps.csv'
            """);
        string before = UsersFingerprint();
        Shell.Run("Invoke-DbQuery 'TRUNCATE users'");
        var loaded = Shell.Run($"Import-DbCsv '{_folder}/ps.csv' users").Single();
        Assert.Equal(2L, loaded.Prop("Rows"));
        Assert.Equal(before, UsersFingerprint());

        File.WriteAllText(Path.Combine(_folder, "ps-bad.csv"), "TelegramId,FullName,LanguageCode,ReferrerId\n5,Five,en,none\n");
        var bad = Shell.Invoke($"Import-DbCsv '{_folder}/ps-bad.csv' users");
        var line = LineError(bad.Error!);
        Assert.Equal(("referrer_id", "ReferrerId", 2L), (line.Prop("Column"), line.Prop("Header"), line.Prop("Line")));
        Assert.Contains("column referrer_id (header 'ReferrerId')", bad.Error!.Exception.Message);
    }

    [Fact]
    public void An_unknown_header_is_a_clear_error_unless_IgnoreUnknownColumns()
    {
        string before = UsersFingerprint();
        string path = Path.Combine(_folder, "unknown.csv");
        File.WriteAllText(path, "TelegramId,Nickname,full_name,Depth,language_code\n7,\"Bo, \"\"the\"\" best\",Seven,,en\n8,,Eight,1,de\n");
        var result = Shell.Invoke($"Import-DbCsv '{path}' users");
        Assert.Equal("PgUsers.CsvUnknownHeader,PgUsers.Commands.ImportDbCsvCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, result.Error.CategoryInfo.Category);
        Assert.Equal(path, result.Error.TargetObject);
        Assert.Contains("'Nickname', 'Depth'", result.Error.Exception.Message);
        Assert.Contains("-IgnoreUnknownColumns", result.Error.Exception.Message);
        Assert.Equal(before, UsersFingerprint());

        var loaded = Shell.Run($"Import-DbCsv '{path}' users -IgnoreUnknownColumns").Single();
        Assert.Equal(2L, loaded.Prop("Rows"));
        var rows = Sql("SELECT telegram_id, full_name, username, language_code FROM users WHERE telegram_id IN (7, 8) ORDER BY 1");
        Assert.Equal(new object?[] { 7L, "Seven", null, "en" }, rows[0]);
        Assert.Equal(new object?[] { 8L, "Eight", null, "de" }, rows[1]);
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Gz_files_are_read_decompressed_with_progress_by_compressed_bytes()
    {
        string plain = WriteUsers("plain.csv", 5000);
        string gz = Path.Combine(_folder, "users.csv.gz");
        using (var target = File.Create(gz))
        using (var zip = new GZipStream(target, CompressionLevel.Optimal))
        using (var source = File.OpenRead(plain))
        {
            source.CopyTo(zip);
        }
        var loaded = Shell.Run($"Import-DbCsv '{gz}' users").Single();
        Assert.Equal(5000L, loaded.Prop("Rows"));
        Assert.Equal(new FileInfo(gz).Length, loaded.Prop("Bytes"));
        Assert.Equal(5002L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users")));
    }

    [Fact]
    public void Delimiter_Encoding_and_Header_work_as_in_Import_Csv()
    {
        string path = Path.Combine(_folder, "cyrillic.txt");
        File.WriteAllText(path, "20;Иван Петров;ru\r\n21;\"Ольга; \"\"Оля\"\"\";ru\r\n", Encoding.Unicode);
        var imported = Shell.Values($"Import-Csv '{path}' -Delimiter ';' -Encoding unicode -Header TelegramId, FullName, LanguageCode | ForEach-Object FullName");
        Assert.Equal(new object?[] { "Иван Петров", "Ольга; \"Оля\"" }, imported);
        var loaded = Shell.Run($"Import-DbCsv '{path}' users -Delimiter ';' -Encoding unicode -Header TelegramId, FullName, LanguageCode").Single();
        Assert.Equal(2L, loaded.Prop("Rows"));
        Assert.Equal("Ольга; \"Оля\"", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 21"));

        string legacy = Path.Combine(_folder, "legacy.csv");
        File.WriteAllBytes(legacy, CodePagesEncoding(1251).GetBytes("telegram_id,full_name,language_code\n22,Пётр,ru\n"));
        Shell.Run($"Import-DbCsv '{legacy}' users -Encoding windows-1251 | Out-Null");
        Assert.Equal("Пётр", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 22"));
    }

    private static Encoding CodePagesEncoding(int page)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(page);
    }

    [Fact]
    public void An_empty_file_warns_and_still_reports_its_result_of_no_rows()
    {
        string path = Path.Combine(_folder, "empty.csv");
        File.WriteAllText(path, "");
        var result = Shell.Invoke($"Import-DbCsv '{path}' users");
        Assert.Null(result.Error);
        Assert.Contains(result.Warnings, w => w.Contains("is empty"));
        var loaded = Assert.Single(result.Output);
        Assert.Equal(path, loaded.Prop("Path"));
        Assert.Equal(0L, loaded.Prop("Rows"));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void WhatIf_loads_nothing_and_says_which_columns_of_which_table_it_would_load()
    {
        string before = UsersFingerprint();
        string path = Path.Combine(_folder, "whatif.csv");
        File.WriteAllText(path, "TelegramId,FullName,LanguageCode,Notes\n30,Thirty,en,x\n");
        var result = Shell.Invoke($"Import-DbCsv '{path}' users -IgnoreUnknownColumns -WhatIf");
        Assert.Null(result.Error);
        Assert.Empty(result.Output);
        Assert.Equal(before, UsersFingerprint());
        AssertNothingCheckedOut();

        // The same ShouldProcess call: -Verbose shows its text (this host has no UI to print "What if:" on).
        var loaded = Shell.Invoke($"Import-DbCsv '{path}' users -IgnoreUnknownColumns -Verbose");
        Assert.Contains(loaded.Verbose, v => v.Contains("\"Load CSV\"") && v.Contains(path)
            && v.Contains("into public.users (telegram_id, full_name, language_code); leaving out Notes"));
    }

    [Fact]
    public void Missing_files_unknown_tables_and_bad_delimiters_are_clear_errors()
    {
        string path = WriteUsers("ok.csv", 3);
        var missing = Shell.Invoke($"Import-DbCsv '{_folder}/nope.csv', '{path}' users");
        var notFound = Assert.Single(missing.Errors);
        Assert.Equal("PgUsers.FileNotFound,PgUsers.Commands.ImportDbCsvCommand", notFound.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, notFound.CategoryInfo.Category);
        Assert.Equal(3L, Assert.Single(missing.Output).Prop("Rows"));

        var table = Shell.Invoke($"Import-DbCsv '{path}' -Table 'no_such; DROP TABLE users'");
        Assert.Equal("PgUsers.TableNotFound,PgUsers.Commands.ImportDbCsvCommand", table.Error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, table.Error.CategoryInfo.Category);
        Assert.Equal("no_such; DROP TABLE users", table.Error.TargetObject);

        var delimiter = Shell.Invoke($"Import-DbCsv '{path}' users -Delimiter '\"'");
        Assert.Equal("PgUsers.InvalidDelimiter,PgUsers.Commands.ImportDbCsvCommand", delimiter.Error!.FullyQualifiedErrorId);
        Assert.Equal(5L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM users")));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Ctrl_C_mid_import_lands_nothing_and_returns_the_connection()
    {
        string before = UsersFingerprint();
        string path = WriteUsers("stopped.csv", 1_000_000);
        using var running = Background.Start($"New-DbEngine $url | Out-Null\nImport-DbCsv '{path}' users", ("url", Url));
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY public.users%' AND pid <> pg_backend_pid()")) > 0, TimeSpan.FromSeconds(60)));
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.Equal(before, UsersFingerprint());
        Assert.Equal(0, running.Host.Values("(Get-DbEngine -Default).CheckedOut").Single());
        Assert.True(Background.WaitUntil(() => Convert.ToInt64(SqlScalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY public.users%' AND state = 'active' AND pid <> pg_backend_pid()")) == 0, TimeSpan.FromSeconds(10)));
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
