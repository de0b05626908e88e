using System.Diagnostics;
using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>
/// Invoke-DbQuery's rows behave like ordinary PSCustomObjects in every downstream use.
/// Where PowerShell renders text, the row's output is compared with a [pscustomobject] of the same values.
/// </summary>
public sealed class RowObjectTests : DbTest
{
    /// <summary>One row of three typed columns and its [pscustomobject] twin, built in the same session.</summary>
    private const string RowAndTwin = """
        $row = Invoke-DbQuery "SELECT 7 AS id, 'ann' AS name, NULL::text AS note, 2.5::numeric AS score, TIMESTAMP '2024-05-01 10:30:00' AS at"
        $twin = [pscustomobject]@{ id = 7; name = 'ann'; note = $null; score = [decimal]2.5; at = [datetime]'2024-05-01 10:30:00' }
        """;


    public RowObjectTests(ServerFixture server) : base(server)
    {
        Shell.Run("$engine = New-DbEngine $url");
        Shell.Set("buckets", "SELECT g AS n, g % 3 AS bucket, 'item ' || g AS label FROM generate_series(1, 9) AS g");
    }

    [Fact]
    public void Properties_are_named_and_ordered_as_the_columns()
    {
        var row = Shell.Run("Invoke-DbQuery 'SELECT 1 AS zeta, 2 AS alpha, 3 AS mid'").Single();
        Assert.Equal(new[] { "zeta", "alpha", "mid" }, row.PropNames());
        Assert.Equal(new object?[] { 1, 2, 3 }, row.PropNames().Select(row.Prop));
    }

    [Fact]
    public void Duplicate_column_names_become_distinct_properties_and_none_is_dropped()
    {
        var row = Shell.Run("""Invoke-DbQuery 'SELECT 1 AS x, 2 AS x, 3 AS "X", 4'""").Single();
        Assert.Equal(new[] { "x", "x_1", "X_2", "?column?" }, row.PropNames());
        Assert.Equal(new object?[] { 1, 2, 3, 4 }, row.PropNames().Select(row.Prop));
    }

    [Fact]
    public void SQL_NULL_is_null_never_DBNull()
    {
        var values = Shell.Values("""
            $r = Invoke-DbQuery 'SELECT NULL::int AS i, NULL::text AS t, NULL::timestamp AS ts'
            $null -eq $r.i; $null -eq $r.t; $r.ts -is [DBNull]; @($r.PSObject.Properties.Value | Where-Object { $_ -is [DBNull] }).Count
            """);
        Assert.Equal(new object?[] { true, true, false, 0 }, values);
        var row = Shell.Run("Invoke-DbQuery 'SELECT NULL::int AS i'").Single();
        Assert.Null(row.Properties["i"].Value);
    }

    [Fact]
    public void Dot_access_reads_and_writes_like_a_note_property()
    {
        var values = Shell.Values("""
            $r = Invoke-DbQuery "SELECT 42 AS answer, 'x' AS name"
            $r.answer; $r.Answer; $r.name.ToUpper()
            $r.name = 'changed'; $r.name
            $r | Add-Member -NotePropertyName extra -NotePropertyValue 5 -PassThru | ForEach-Object { $_.extra }
            """);
        Assert.Equal(new object?[] { 42, 42, "X", "changed", 5 }, values);
    }

    [Fact]
    public void String_form_is_the_PSCustomObject_one()
    {
        var values = Shell.Values(RowAndTwin + "\n\"$row\" -eq \"$twin\"; \"$row\"");
        Assert.Equal(true, values[0]);
        Assert.StartsWith("@{id=7; name=ann; note=; score=2.5; at=", (string)values[1]!);
    }

    [Fact]
    public void Where_Object_filters_on_columns_in_both_forms()
    {
        var values = Shell.Values("""
            (Invoke-DbQuery $buckets | Where-Object n -gt 7).n
            (Invoke-DbQuery $buckets | Where-Object { $_.bucket -eq 0 -and $_.label -like '*6' }).n
            """);
        Assert.Equal(new object?[] { 8, 9, 6 }, values);
    }

    [Fact]
    public void ForEach_Object_sees_each_column()
    {
        var values = Shell.Values("""Invoke-DbQuery $buckets | ForEach-Object { $_.n * 10 + $_.bucket } | Select-Object -Last 2""");
        Assert.Equal(new object?[] { 82, 90 }, values);
    }

    [Fact]
    public void Select_Object_picks_properties_and_expands_one()
    {
        var picked = Shell.Run("""Invoke-DbQuery $buckets | Select-Object -Property label, n -First 2""");
        Assert.Equal(new[] { "label", "n" }, picked[0].PropNames());
        Assert.Equal("item 2", picked[1].Prop("label"));
        var expanded = Shell.Values("""Invoke-DbQuery $buckets | Select-Object -ExpandProperty n -Skip 7""");
        Assert.Equal(new object?[] { 8, 9 }, expanded);
        var all = Shell.Run("""Invoke-DbQuery $buckets | Select-Object -Property * -First 1""").Single();
        Assert.Equal(new[] { "n", "bucket", "label" }, all.PropNames());
    }

    [Fact]
    public void Select_Object_First_stops_the_read_without_draining_it()
    {
        var clock = Stopwatch.StartNew();
        // A target-list set-returning function streams (no tuplestore): draining 200M rows would take minutes.
        var values = Shell.Values("Invoke-DbQuery 'SELECT generate_series(1, 200000000) AS n' | Select-Object -First 3 | ForEach-Object n");
        Assert.Equal(new object?[] { 1, 2, 3 }, values);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(0, Shell.Values("$engine.CheckedOut").Single());
    }

    [Fact]
    public void Sort_Object_and_Group_Object_use_the_columns()
    {
        var sorted = Shell.Values("""(Invoke-DbQuery $buckets | Sort-Object -Property bucket, @{ Expression = 'n'; Descending = $true }).n""");
        Assert.Equal(new object?[] { 9, 6, 3, 7, 4, 1, 8, 5, 2 }, sorted);
        var groups = Shell.Run("""Invoke-DbQuery $buckets | Group-Object bucket | Sort-Object Name""");
        Assert.Equal(new object?[] { "0", "1", "2" }, groups.Select(g => g.Prop("Name")));
        Assert.All(groups, g => Assert.Equal(3, g.Prop("Count")));
    }

    [Fact]
    public void ConvertTo_Json_writes_the_columns_like_a_PSCustomObject()
    {
        var values = Shell.Values(RowAndTwin + """

            $row | ConvertTo-Json -Compress
            ($row | ConvertTo-Json) -eq ($twin | ConvertTo-Json)
            (@($row, $row) | ConvertTo-Json -Compress) -eq (@($twin, $twin) | ConvertTo-Json -Compress)
            """);
        Assert.Equal("""{"id":7,"name":"ann","note":null,"score":2.5,"at":"2024-05-01T10:30:00"}""", values[0]);
        Assert.Equal(new object?[] { true, true }, values.Skip(1));
    }

    [Fact]
    public void ConvertTo_Csv_and_Export_Csv_write_the_columns_like_a_PSCustomObject()
    {
        string file = Path.Combine(Path.GetTempPath(), $"pgusers-rows-{Guid.NewGuid():N}.csv");
        try
        {
            var values = Shell.Values(RowAndTwin + $"""

                ($row | ConvertTo-Csv) -join "`n"
                (($row | ConvertTo-Csv) -join "`n") -eq (($twin | ConvertTo-Csv) -join "`n")
                $row | Export-Csv -Path '{file}'
                (Import-Csv -Path '{file}').name
                """);
            Assert.Equal("\"id\",\"name\",\"note\",\"score\",\"at\"\n\"7\",\"ann\",,\"2.5\",\"05/01/2024 10:30:00\"", (string)values[0]!);
            Assert.Equal(new object?[] { true, "ann" }, values.Skip(1));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Format_Table_Format_List_and_Out_String_show_what_a_PSCustomObject_shows()
    {
        var values = Shell.Values(RowAndTwin + """

            $row3 = Invoke-DbQuery "SELECT 7 AS id, 'ann' AS name, NULL::text AS note"
            $twin3 = [pscustomobject]@{ id = 7; name = 'ann'; note = $null }
            ($row | Format-Table | Out-String) -eq ($twin | Format-Table | Out-String)
            ($row | Format-List | Out-String) -eq ($twin | Format-List | Out-String)
            ($row | Out-String) -eq ($twin | Out-String)
            ($row3 | Out-String) -eq ($twin3 | Out-String)
            $row3 | Format-Table | Out-String
            """);
        Assert.Equal(new object?[] { true, true, true, true }, values.Take(4));
        string table = (string)values[4]!;
        Assert.Matches(@"id\s+name\s+note", table);
        Assert.Matches(@"7\s+ann", table);
    }

    [Fact]
    public void Get_Member_lists_each_column_as_a_property()
    {
        var names = Shell.Values("Invoke-DbQuery 'SELECT 1 AS b, 2 AS a' | Get-Member -MemberType Properties | ForEach-Object Name");
        Assert.Equal(new object?[] { "a", "b" }, names);
        var typeNames = Shell.Values("(Invoke-DbQuery 'SELECT 1 AS b').PSObject.TypeNames");
        Assert.Contains("PgUsers.DbRow", typeNames);
    }

    [Fact]
    public void Each_result_set_keeps_its_own_columns_and_values_keep_their_types()
    {
        var rows = Shell.Run("""Invoke-DbQuery "SELECT 1::bigint AS a, true AS ok; SELECT 'x' AS b, ARRAY[1,2] AS list, '{""k"":1}'::jsonb AS doc" """);
        Assert.Equal(new[] { "a", "ok" }, rows[0].PropNames());
        Assert.Equal(new[] { "b", "list", "doc" }, rows[1].PropNames());
        Assert.Equal(1L, rows[0].Prop("a"));
        Assert.Equal(true, rows[0].Prop("ok"));
        Assert.Equal(new[] { 1, 2 }, rows[1].Prop("list"));
        Assert.Equal(1L, Assert.IsType<PSObject>(rows[1].Properties["doc"].Value).Prop("k"));
    }

    [Fact]
    public void Rows_pipe_into_Invoke_DbQuery_as_parameters()
    {
        Shell.Run("""
            Invoke-DbQuery 'CREATE TABLE copies (n int, label text)'
            Invoke-DbQuery 'SELECT g AS n, ''item '' || g AS label FROM generate_series(1, 5) AS g' |
                Invoke-DbQuery 'INSERT INTO copies VALUES (@n, @label)'
            """);
        Assert.Equal(5L, SqlScalar("SELECT count(*) FROM copies WHERE label = 'item ' || n"));
    }
}
