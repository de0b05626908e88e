using static PgUsers.UnitTests.BigEndian;
using PgUsers.Tables;
using Column = PgUsers.Tables.CopyCatalog.Column;

namespace PgUsers.UnitTests;

/// <summary>Copy-DbTable's pure parts: counting the tuples of a binary COPY stream, and which columns binary COPY can carry.</summary>
public sealed class CopyTableTests
{
    /// <summary>A binary COPY stream as PostgreSQL writes it: header (with an extension area), tuples, trailer.</summary>
    private static byte[] Stream(int extension, params byte[]?[][] tuples)
    {
        var bytes = new List<byte>();
        bytes.AddRange("PGCOPY\n"u8.ToArray());
        bytes.AddRange(new byte[] { 0xFF, (byte)'\r', (byte)'\n', 0 });
        bytes.AddRange(Int32(0));
        bytes.AddRange(Int32(extension));
        bytes.AddRange(Enumerable.Repeat((byte)0xEE, extension));
        foreach (var tuple in tuples)
        {
            bytes.AddRange(Int16((short)tuple.Length));
            foreach (var field in tuple)
            {
                bytes.AddRange(Int32(field?.Length ?? -1));
                if (field is not null) bytes.AddRange(field);
            }
        }
        bytes.AddRange(Int16(-1));
        return bytes.ToArray();
    }



    public static TheoryData<int> ChunkSizes => new() { 1, 2, 3, 5, 7, 64, 100_000 };

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void The_counter_counts_every_tuple_however_the_stream_is_cut(int chunk)
    {
        // Field lengths that look like field counts and the trailer (-1 as bytes, 0xFFFF) must not confuse it.
        var big = Enumerable.Repeat((byte)0xFF, 70_000).ToArray();
        var stream = Stream(3,
            new byte[]?[] { Int32(1), "abc"u8.ToArray(), null },
            new byte[]?[] { },
            new byte[]?[] { null, null, Array.Empty<byte>() },
            new byte[]?[] { big, Int16(-1) },
            new byte[]?[] { Int32(-1) });
        var counter = new BinaryCopyCounter();
        for (int at = 0; at < stream.Length; at += chunk) counter.Add(stream.AsSpan(at, Math.Min(chunk, stream.Length - at)));
        Assert.Equal(5, counter.Rows);
        Assert.True(counter.Ended);
    }

    [Fact]
    public void The_counter_reports_rows_begun_so_far_and_no_end_before_the_trailer()
    {
        var stream = Stream(0, new byte[]?[] { Int32(7) }, new byte[]?[] { Int32(8) });
        var counter = new BinaryCopyCounter();
        counter.Add(stream.AsSpan(0, stream.Length - 2));
        Assert.Equal(2, counter.Rows);
        Assert.False(counter.Ended);
        counter.Add(stream.AsSpan(stream.Length - 2));
        Assert.True(counter.Ended);

        var empty = new BinaryCopyCounter();
        empty.Add(Stream(0));
        Assert.Equal(0, empty.Rows);
        Assert.True(empty.Ended);
    }

    private static Column Col(string name, string type, long oid, string? baseType = null, bool generated = false) =>
        new(name, type, oid, baseType ?? type, generated);

    [Theory]
    [InlineData("integer", 23, "integer", 23, true)]
    [InlineData("character varying(20)", 1043, "text", 25, true)]
    [InlineData("text", 25, "character(5)", 1042, true)]
    [InlineData("integer", 23, "bigint", 20, false)]
    [InlineData("json", 114, "jsonb", 3802, false)]
    [InlineData("timestamp without time zone", 1114, "timestamp with time zone", 1184, false)]
    [InlineData("character varying[]", 1015, "text[]", 1009, false)]
    [InlineData("numeric(10,2)", 1700, "numeric", 1700, true)]
    public void Binary_COPY_carries_a_value_only_into_a_type_of_the_same_encoding(string from, long fromOid, string to, long toOid, bool carries)
    {
        string? reason = CopyColumns.Mismatch(Col("qty", from, fromOid), Col("qty", to, toOid));
        Assert.Equal(carries, reason is null);
        if (!carries) Assert.Equal($"the source's {from} cannot be copied in binary into the destination's {to}; " +
            $"cast it in a -Query (\"qty\"::{to}) or copy into a table of matching types.", reason);
    }

    [Fact]
    public void A_type_of_the_database_s_own_is_matched_by_name_not_by_oid()
    {
        Assert.Null(CopyColumns.Mismatch(Col("m", "mood", 16385), Col("m", "mood", 24001)));
        Assert.NotNull(CopyColumns.Mismatch(Col("m", "mood", 16385), Col("m", "other", 16385)));
        Assert.NotNull(CopyColumns.Mismatch(Col("m", "mood", 16385), Col("m", "text", 25)));
    }

    [Fact]
    public void Columns_match_by_name_then_ignoring_case_and_an_error_names_the_column()
    {
        var source = new[] { Col("id", "bigint", 20), Col("Full Name", "text", 25) };
        var target = new[] { Col("full name", "character varying(50)", 1043), Col("extra", "integer", 23), Col("id", "bigint", 20) };
        var pairs = CopyColumns.Match(source, target, "public.t", out var problem);
        Assert.Null(problem);
        Assert.Equal(new[] { "id:id", "Full Name:full name" }, pairs.Select(p => p.From.Name + ":" + p.To.Name));

        CopyColumns.Match(source, new[] { Col("id", "integer", 23), Col("full name", "text", 25) }, "public.t", out problem);
        Assert.Equal("PgUsers.ColumnTypeMismatch", problem!.FullyQualifiedErrorId);
        Assert.Equal("id", problem.TargetObject);
        Assert.StartsWith("Column 'id': the source's bigint cannot be copied in binary into the destination's integer", problem.Exception.Message);

        CopyColumns.Match(source, new[] { Col("id", "bigint", 20) }, "public.t", out problem);
        Assert.Equal("PgUsers.ColumnNotFound", problem!.FullyQualifiedErrorId);
        Assert.Equal("Full Name", problem.TargetObject);

        CopyColumns.Match(source, new[] { Col("id", "bigint", 20, generated: true), Col("Full Name", "text", 25) }, "public.t", out problem);
        Assert.Equal("PgUsers.ColumnTypeMismatch", problem!.FullyQualifiedErrorId);
        Assert.Contains("generated column", problem.Exception.Message);
    }

    [Fact]
    public void Columns_chooses_source_columns_by_name_and_refuses_an_unknown_or_twice_returned_one()
    {
        var source = new[] { Col("a", "integer", 23), Col("b", "text", 25), Col("c", "text", 25) };
        Assert.Equal(new[] { "c", "a" }, CopyColumns.Select(source, new[] { "c", "A" }, out var problem).Select(c => c.Name));
        Assert.Null(problem);
        CopyColumns.Select(source, new[] { "nope" }, out problem);
        Assert.Equal("PgUsers.ColumnNotFound", problem!.FullyQualifiedErrorId);
        CopyColumns.Select(new[] { Col("a", "integer", 23), Col("a", "text", 25) }, null, out problem);
        Assert.Equal("PgUsers.DuplicateColumn", problem!.FullyQualifiedErrorId);
    }
}
