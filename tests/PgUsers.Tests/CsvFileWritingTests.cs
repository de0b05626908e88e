using System.Diagnostics;
using System.Text;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Export-DbCsv writes as Export-Csv does: through links, into devices and FIFOs, keeping a file's mode
/// and owner; it refuses text its encoding cannot hold; paths and parameters fail clearly.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CsvFileWritingTests : DbTest
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-csv-writing-").FullName;

    public CsvFileWritingTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery @'
            DROP TABLE IF EXISTS words;
            CREATE TABLE words (id int PRIMARY KEY, word text, note text);
            INSERT INTO words VALUES (1, 'plain', 'ok'), (2, 'café', 'ok'), (3, 'smile 😀', 'Пётр');
            '@
            """);
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {output}");
        return output.Trim();
    }

    /// <summary>The file type, mode and owner as stat(1) shows them, without following a link.</summary>
    private static string Stat(string path) => Run("stat", "-c", "%F %a %u:%g", path);

    [Fact]
    public void Text_the_encoding_cannot_hold_is_refused_naming_the_row_and_column_and_no_file_is_left()
    {
        string ascii = Path.Combine(_folder, "ascii.csv");
        var result = Shell.Invoke($"Export-DbCsv '{ascii}' words -Encoding ascii");
        var error = result.Error;
        Assert.Equal("PgUsers.CsvNotEncodable,PgUsers.Commands.ExportDbCsvCommand", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error!.CategoryInfo.Category);
        Assert.Equal(ascii, error.TargetObject);
        Assert.Contains("row 2, column word", error.Exception.Message);
        Assert.Contains("'é' (U+00E9)", error.Exception.Message);
        Assert.False(File.Exists(ascii));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));

        string cyrillic = Path.Combine(_folder, "cyrillic.csv");
        File.WriteAllText(cyrillic, "old");
        var emoji = Shell.Invoke($"Export-DbCsv '{cyrillic}' -Query 'SELECT note, word FROM words WHERE id = 3' -Encoding windows-1251");
        Assert.Equal("PgUsers.CsvNotEncodable,PgUsers.Commands.ExportDbCsvCommand", emoji.Error?.FullyQualifiedErrorId);
        Assert.Contains("row 1, column word", emoji.Error!.Exception.Message);
        Assert.Contains("U+1F600", emoji.Error.Exception.Message);
        Assert.Equal("old", File.ReadAllText(cyrillic));

        // What an encoding can hold, it writes, and Import-DbCsv loads it back.
        Shell.Run($"Export-DbCsv '{cyrillic}' -Query 'SELECT id, note FROM words' -Encoding windows-1251 | Out-Null");
        Assert.Contains("Пётр", File.ReadAllText(cyrillic, CodePages(1251)));
        AssertNothingCheckedOut();
    }

    private static Encoding CodePages(int page)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(page);
    }

    [Fact]
    public void A_wildcard_path_resolves_to_one_file_as_Export_Csv_does_or_is_refused()
    {
        var none = Shell.Invoke($"Export-DbCsv '{_folder}/*.csv' words");
        Assert.Equal("PgUsers.PathNotResolved,PgUsers.Commands.ExportDbCsvCommand", none.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, none.Error!.CategoryInfo.Category);
        Assert.Contains("-LiteralPath", none.Error.Exception.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));

        File.WriteAllText(Path.Combine(_folder, "one.csv"), "old");
        var one = Shell.Run($"Export-DbCsv '{_folder}/*.csv' words").Single();
        Assert.Equal(Path.Combine(_folder, "one.csv"), one.Prop("Path"));
        Assert.StartsWith("id,word,note", File.ReadAllText(Path.Combine(_folder, "one.csv")));

        File.WriteAllText(Path.Combine(_folder, "two.csv"), "old");
        var two = Shell.Invoke($"Export-DbCsv '{_folder}/*.csv' words");
        Assert.Equal("PgUsers.PathAmbiguous,PgUsers.Commands.ExportDbCsvCommand", two.Error?.FullyQualifiedErrorId);
        Assert.Equal("old", File.ReadAllText(Path.Combine(_folder, "two.csv")));

        var literal = Shell.Run($"Export-DbCsv -LiteralPath '{_folder}/[x].csv' -Query 'SELECT 1 AS one'").Single();
        Assert.Equal(Path.Combine(_folder, "[x].csv"), literal.Prop("Path"));
        Assert.Equal("one\n\"1\"\n", File.ReadAllText(Path.Combine(_folder, "[x].csv")));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void A_placeholder_without_a_value_is_named_as_Invoke_DbQuery_names_it()
    {
        string path = Path.Combine(_folder, "q.csv");
        var export = Shell.Invoke($"Export-DbCsv '{path}' -Query 'SELECT @x AS v'");
        var query = Shell.Invoke("Invoke-DbQuery 'SELECT @x AS v'");
        Assert.Equal("PgUsers.Sql.42703,PgUsers.Commands.ExportDbCsvCommand", export.Error?.FullyQualifiedErrorId);
        Assert.Contains("No value was given for the parameter @x", export.Error!.Exception.Message);
        string said = query.Error!.Exception.Message;
        Assert.StartsWith(said[..said.IndexOf(" (at character", StringComparison.Ordinal)], export.Error.Exception.Message);
        Assert.False(File.Exists(path));
        AssertNothingCheckedOut();
    }

    [Fact]
    public void An_existing_file_keeps_its_mode_and_owner_and_a_failed_export_leaves_it_whole()
    {
        string secret = Path.Combine(_folder, "secret.csv");
        File.WriteAllText(secret, "old");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Run("chown", "65534:65534", secret);
        Shell.Run($"Export-DbCsv '{secret}' words | Out-Null");
        Assert.Equal("regular file 600 65534:65534", Stat(secret));
        Assert.StartsWith("id,word,note", File.ReadAllText(secret));

        File.WriteAllText(secret, "old");
        var failed = Shell.Invoke($"Export-DbCsv '{secret}' -Query 'SELECT g, 1 / (g - 50001) AS x FROM generate_series(1, 100000) g'");
        Assert.Equal("PgUsers.Sql.22012,PgUsers.Commands.ExportDbCsvCommand", failed.Error?.FullyQualifiedErrorId);
        Assert.Equal("old", File.ReadAllText(secret));
        Assert.Equal("regular file 600 65534:65534", Stat(secret));

        // A read-only file, with -Force, is written and stays read-only.
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        Shell.Run($"Export-DbCsv '{secret}.gz' words | Out-Null; Export-DbCsv '{secret}' words -Force | Out-Null");
        Assert.Equal("regular file 440 65534:65534", Stat(secret));
        Assert.StartsWith("id,word,note", File.ReadAllText(secret));
        Assert.Equal(new[] { "secret.csv", "secret.csv.gz" }, Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order());
        AssertNothingCheckedOut();
    }

    [Fact]
    public void Ctrl_C_mid_export_into_an_existing_file_leaves_it_whole_with_its_mode()
    {
        string path = Path.Combine(_folder, "kept.csv");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var running = Background.Start(
            $"New-DbEngine $url | Out-Null\nExport-DbCsv '{path}' -Query 'SELECT g, md5(g::text) FROM generate_series(1, 100000000) g'", ("url", Url));
        Assert.True(Background.WaitUntil(() => Directory.GetFiles(_folder, "*.partial").Any(f => new FileInfo(f).Length > 1_000_000), TimeSpan.FromSeconds(60)));
        // The new text waits in a file only its owner can read, as the file it is for.
        Assert.Equal("regular file 600 0:0", Stat(Directory.GetFiles(_folder, "*.partial").Single()));
        running.Stop();
        Assert.True(running.IsCompleted);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal("regular file 600 0:0", Stat(path));
        Assert.Equal(new[] { "kept.csv" }, Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
        Assert.Equal(0, running.Host.Values("(Get-DbEngine -Default).CheckedOut").Single());
    }

    [Fact]
    public void A_symbolic_link_is_written_through_even_when_its_target_does_not_exist_yet()
    {
        string target = Path.Combine(_folder, "target.csv");
        string link = Path.Combine(_folder, "link.csv");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, "target.csv");
        var written = Shell.Run($"Export-DbCsv '{link}' words").Single();
        Assert.Equal(link, written.Prop("Path"));
        Assert.StartsWith("symbolic link", Stat(link));
        Assert.StartsWith("id,word,note", File.ReadAllText(target));

        string dangling = Path.Combine(_folder, "dangling.csv");
        File.CreateSymbolicLink(dangling, "later.csv");
        Shell.Run($"Export-DbCsv '{dangling}' words | Out-Null");
        Assert.StartsWith("symbolic link", Stat(dangling));
        Assert.StartsWith("id,word,note", File.ReadAllText(Path.Combine(_folder, "later.csv")));
        AssertNothingCheckedOut();
    }

    [Fact]
    public async Task A_device_or_a_FIFO_is_written_to_directly_and_never_replaced()
    {
        // A device node like /dev/null, made in the test's own folder.
        string device = Path.Combine(_folder, "null");
        Run("mknod", device, "c", "1", "3");
        var toDevice = Shell.Run($"Export-DbCsv '{device}' words").Single();
        Assert.Equal(3L, toDevice.Prop("Rows"));
        Assert.StartsWith("character special file", Stat(device));

        string fifo = Path.Combine(_folder, "fifo");
        Run("mkfifo", fifo);
        var reader = Task.Run(() => File.ReadAllText(fifo));
        Shell.Run($"Export-DbCsv '{fifo}' words | Out-Null");
        Assert.StartsWith("id,word,note", await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("fifo", Stat(fifo));
        Assert.Equal(new[] { "fifo", "null" }, Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order());
        AssertNothingCheckedOut();
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
