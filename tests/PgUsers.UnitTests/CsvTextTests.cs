namespace PgUsers.UnitTests;

/// <summary>The CSV syntax the file cmdlets read themselves: header records, fields, delimiters as COPY options.</summary>
public sealed class CsvTextTests
{
    [Theory]
    [InlineData("a,b\n1,2", 3)]
    [InlineData("a,b\r\n1,2", 3)]
    [InlineData("a,b\r1,2", 3)]
    [InlineData("\"a\nb\",c\nx", 7)]
    [InlineData("\"a\"\"\nb\"\"\",c\n", 11)]
    [InlineData("\"a\"\"\",c\nx", 7)]
    [InlineData("a,b", -1)]
    [InlineData("\"a,\nb", -1)]
    [InlineData("", -1)]
    [InlineData("\n", 0)]
    public void The_first_record_ends_at_the_first_line_break_outside_quotes(string text, int end) =>
        Assert.Equal(end, CsvText.FirstRecordEnd(text));

    [Theory]
    [InlineData("a,b,c", ',', "a|b|c")]
    [InlineData("a;b,c", ';', "a|b,c")]
    [InlineData("\"a,b\",c", ',', "a,b|c")]
    [InlineData("\"say \"\"hi\"\"\",x", ',', "say \"hi\"|x")]
    [InlineData("\"\"", ',', "")]
    [InlineData(",", ',', "|")]
    [InlineData("", ',', "")]
    [InlineData("a\tb", '\t', "a|b")]
    [InlineData("\"line\nbreak\"", ',', "line\nbreak")]
    [InlineData(" a , b ", ',', " a | b ")]
    public void A_record_splits_into_unquoted_fields(string record, char delimiter, string fields) =>
        Assert.Equal(fields.Split('|'), CsvText.Fields(record, delimiter));

    [Theory]
    [InlineData('"', "quote character")]
    [InlineData('\n', "line break")]
    [InlineData('\r', "line break")]
    [InlineData('é', "not an ASCII character")]
    [InlineData('；', "not an ASCII character")]
    public void A_delimiter_COPY_cannot_take_is_refused(char delimiter, string says) =>
        Assert.Contains(says, CsvText.DelimiterProblem(delimiter));

    [Theory]
    [InlineData(',', "E','")]
    [InlineData(';', "E';'")]
    [InlineData('\t', "E'\t'")]
    [InlineData('|', "E'|'")]
    [InlineData('\'', @"E'\''")]
    [InlineData('\\', @"E'\\'")]
    public void A_delimiter_becomes_an_escape_string_literal(char delimiter, string literal)
    {
        Assert.Null(CsvText.DelimiterProblem(delimiter));
        Assert.Equal(literal, CsvText.DelimiterLiteral(delimiter));
    }

    [Theory]
    [InlineData("a,b\n1,2\n", 2)]
    [InlineData("a,b\n1,2", 2)]
    [InlineData("a,b\r\n1,2\r\n", 2)]
    [InlineData("a,b\r1,2\r", 2)]
    [InlineData("a\n\n\nb\n", 2)]
    [InlineData("\"x\ny\",1\n\"z\"\"\n\",2\n", 2)]
    [InlineData("", 0)]
    [InlineData("\n\r\n", 0)]
    public void The_scanner_counts_records_as_COPY_splits_them(string text, long records)
    {
        var whole = new CsvScanner(',');
        whole.Count(text);
        Assert.Equal(records, whole.Records);
        // Chunk boundaries fall anywhere, even between \r and \n or inside quotes.
        var chunked = new CsvScanner(',');
        foreach (char c in text) chunked.Count(new[] { c });
        Assert.Equal(records, chunked.Records);
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n", "101", "a,c\n1,3\n")]
    [InlineData("a,b,c\n1,2,3\n", "011", "b,c\n2,3\n")]
    [InlineData("a,b,c\n1,2,3\n", "110", "a,b\n1,2\n")]
    [InlineData("a,b\n1,2,extra\n", "10", "a\n1,extra\n")]
    [InlineData("a,b\n\"x,y\",\"p\nq\"\n", "01", "b\n\"p\nq\"\n")]
    [InlineData("a,b\r\n1,2\r\n", "01", "b\r\n2\r\n")]
    public void The_scanner_drops_left_out_fields_and_keeps_every_line_break(string text, string keep, string filtered)
    {
        var scanner = new CsvScanner(',', keep.Select(c => c == '1').ToArray());
        var output = new char[text.Length];
        int n = scanner.Filter(text, output);
        Assert.Equal(filtered, new string(output, 0, n));
        Assert.Equal(2, scanner.Records);
    }

    [Fact]
    public void Line_numbers_stay_the_files_own_when_a_left_out_value_held_line_breaks()
    {
        // Line 2's dropped value spans lines 2-4 of the file: the server's line 2 ends on the file's line 4, its line 3 is the file's line 5.
        const string Text = "keep,drop\n1,\"a\nb\nc\"\n2,x\n";
        var scanner = new CsvScanner(',', new[] { true, false });
        var output = new char[Text.Length];
        string written = new(output, 0, scanner.Filter(Text, output));
        Assert.Equal("keep\n1\n2\n", written);
        Assert.Equal(1, scanner.FileLine(1));
        Assert.Equal(4, scanner.FileLine(2));
        Assert.Equal(5, scanner.FileLine(3));
        Assert.Equal(3, scanner.Records);
    }
}
