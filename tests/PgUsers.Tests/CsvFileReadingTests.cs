using System.IO.Compression;
using System.Text;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Import-DbCsv reads a file whole or not at all: strict gzip, strict decoding, a capped header, clear file errors.</summary>
public sealed class CsvFileReadingTests : DbTest
{
    private const string Header = "telegram_id,full_name,language_code\n";
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-csv-reading-").FullName;

    public CsvFileReadingTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery 'DROP TABLE IF EXISTS users'
            Initialize-DbUserTable
            Add-DbUser 1 'Kept One' -LanguageCode en
            """);
    }

    private static byte[] Rows(int from, int to)
    {
        var text = new StringBuilder();
        for (int i = from; i <= to; i++) text.Append(1000 + i).Append(",User ").Append(i).Append(",en\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A gzip of the header and 10,000 rows, flushed after row 5,000; returns the whole file and its length at that flush.</summary>
    private static (byte[] File, int FlushedAt) TenThousandRowsGzip()
    {
        using var target = new MemoryStream();
        int flushedAt;
        using (var zip = new GZipStream(target, CompressionLevel.Optimal, leaveOpen: true))
        {
            zip.Write(Encoding.UTF8.GetBytes(Header));
            zip.Write(Rows(1, 5000));
            zip.Flush();
            flushedAt = (int)target.Length;
            zip.Write(Rows(5001, 10_000));
        }
        return (target.ToArray(), flushedAt);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void AssertUnreadable(string path, string why)
    {
        string before = UsersFingerprint();
        var result = Shell.Invoke($"Import-DbCsv '{path}' users");
        var error = result.Error ?? throw new Xunit.Sdk.XunitException($"{Path.GetFileName(path)} loaded: {result.Output.FirstOrDefault()?.Prop("Rows")} rows");
        Assert.Equal("PgUsers.FileUnreadable,PgUsers.Commands.ImportDbCsvCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ReadError, error.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
        Assert.Contains(Path.GetFileName(path), error.Exception.Message);
        Assert.Contains(why, error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.Equal(before, UsersFingerprint());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_gz_cut_after_a_flush_missing_its_trailer_with_a_bad_check_or_not_gzip_at_all_lands_nothing_and_names_the_file()
    {
        var (whole, flushedAt) = TenThousandRowsGzip();
        AssertUnreadable(Write("cut.csv.gz", whole[..flushedAt]), "ends before its end");
        AssertUnreadable(Write("no-trailer.csv.gz", whole[..^8]), "ends before its end");
        var badCrc = (byte[])whole.Clone();
        badCrc[^6] ^= 0xFF;
        AssertUnreadable(Write("bad-crc.csv.gz", badCrc), "check");
        var badLength = (byte[])whole.Clone();
        badLength[^2] ^= 0xFF;
        AssertUnreadable(Write("bad-length.csv.gz", badLength), "length");
        AssertUnreadable(Write("text.csv.gz", Encoding.UTF8.GetBytes(Header).Concat(Rows(1, 10)).ToArray()), "not a gzip file");
        AssertUnreadable(Write("trailing.csv.gz", whole.Concat(Encoding.UTF8.GetBytes("junk")).ToArray()), "after the end");

        // The same file whole loads, and so do two gzip members one after the other (cat a.gz b.gz).
        Assert.Equal(10_000L, Shell.Run($"Import-DbCsv '{Write("whole.csv.gz", whole)}' users").Single().Prop("Rows"));
        Shell.Run("Invoke-DbQuery 'DELETE FROM users WHERE telegram_id > 1000'");
        using var second = new MemoryStream();
        using (var zip = new GZipStream(second, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(Rows(10_001, 10_500));
        Assert.Equal(10_500L, Shell.Run($"Import-DbCsv '{Write("two-members.csv.gz", whole.Concat(second.ToArray()).ToArray())}' users").Single().Prop("Rows"));
    }

    [Fact]
    public void Text_that_does_not_decode_in_the_encoding_fails_with_its_line_and_byte_offset_and_lands_nothing()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes(Header + "1001,Ann,en\n1002,café,fr\n");
        string path = Write("latin1.csv", latin1);
        string before = UsersFingerprint();
        var result = Shell.Invoke($"Import-DbCsv '{path}' users");
        var error = result.Error!;
        Assert.Equal("PgUsers.CsvNotDecodable,PgUsers.Commands.ImportDbCsvCommand", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error!.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
        int offset = Array.IndexOf(latin1, (byte)0xE9);
        Assert.Contains($"latin1.csv, line 3, byte {offset}", error.Exception.Message);
        Assert.Contains("E9", error.Exception.Message);
        Assert.Contains("-Encoding", error.Exception.Message);
        Assert.Equal(before, UsersFingerprint());
        AssertNothingCheckedOut();

        // A bad byte deep in a large .gz file, past many read buffers, is found at its own offset too.
        var text = Encoding.UTF8.GetBytes(Header).Concat(Rows(1, 20_000)).ToList();
        int deep = text.Count - 7;
        text[deep] = 0xFF;
        using var gz = new MemoryStream();
        using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(text.ToArray());
        var inGz = Shell.Invoke($"Import-DbCsv '{Write("deep.csv.gz", gz.ToArray())}' users");
        Assert.Equal("PgUsers.CsvNotDecodable,PgUsers.Commands.ImportDbCsvCommand", inGz.Error?.FullyQualifiedErrorId);
        Assert.Contains($"line 20001, byte {deep}", inGz.Error!.Exception.Message);
        Assert.Equal(before, UsersFingerprint());

        Assert.Equal(2L, Shell.Run($"Import-DbCsv '{path}' users -Encoding latin1").Single().Prop("Rows"));
        Assert.Equal("café", SqlScalar("SELECT full_name FROM users WHERE telegram_id = 1002"));
    }

    [Fact]
    public void A_header_line_over_1_MB_is_refused_quickly_and_messages_quote_only_a_short_prefix_of_a_value()
    {
        string huge = Path.Combine(_folder, "huge-header.csv");
        File.WriteAllText(huge, string.Concat(Enumerable.Repeat("column_name_", 1_000_000)) + "\n1,x\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Shell.Invoke($"Import-DbCsv '{huge}' users");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed}");
        Assert.Equal("PgUsers.CsvHeaderTooLong,PgUsers.Commands.ImportDbCsvCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, result.Error!.CategoryInfo.Category);
        Assert.Contains("-Header", result.Error.Exception.Message);
        Assert.True(result.Error.Exception.Message.Length < 1000, $"{result.Error.Exception.Message.Length} characters");

        // An unknown header of 100,000 characters, and a bad value of 200,000: the messages stay short.
        string longName = Path.Combine(_folder, "long-name.csv");
        File.WriteAllText(longName, "telegram_id,full_name," + new string('h', 100_000) + "\n5,Five,x\n");
        var unknown = Shell.Invoke($"Import-DbCsv '{longName}' users");
        Assert.Equal("PgUsers.CsvUnknownHeader,PgUsers.Commands.ImportDbCsvCommand", unknown.Error?.FullyQualifiedErrorId);
        Assert.Contains("'hhhhhhhhhh", unknown.Error!.Exception.Message);
        Assert.True(unknown.Error.Exception.Message.Length < 1000, $"{unknown.Error.Exception.Message.Length} characters");

        string longValue = Path.Combine(_folder, "long-value.csv");
        File.WriteAllText(longValue, Header + "6,Six,en\n" + "x" + new string('7', 200_000) + ",Seven,en\n");
        var bad = Shell.Invoke($"Import-DbCsv '{longValue}' users");
        Assert.Equal("PgUsers.Sql.22P02,PgUsers.Commands.ImportDbCsvCommand", bad.Error?.FullyQualifiedErrorId);
        Assert.Contains("line 3, column telegram_id", bad.Error!.Exception.Message);
        Assert.True(bad.Error.Exception.Message.Length < 1000, $"{bad.Error.Exception.Message.Length} characters");
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_folder_named_where_a_file_is_expected_is_said_to_be_a_folder()
    {
        var result = Shell.Invoke($"Import-DbCsv '{_folder}' users");
        var error = Assert.Single(result.Errors);
        Assert.Equal("PgUsers.NotAFile,PgUsers.Commands.ImportDbCsvCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("is a folder", error.Exception.Message);
        Assert.Contains("*.csv", error.Exception.Message);
        var literal = Shell.Invoke($"Import-DbCsv -LiteralPath '{_folder}' users");
        Assert.Equal("PgUsers.NotAFile,PgUsers.Commands.ImportDbCsvCommand", Assert.Single(literal.Errors).FullyQualifiedErrorId);
        AssertNothingCheckedOut();
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
