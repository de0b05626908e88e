using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Strict conversion by the column's real type: each type with a good value (stored exactly) and a bad one (refused, named).</summary>
public sealed class WriteDbTableTypeTests : DbTest
{
    public WriteDbTableTypeTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url -PoolSize 2 | Out-Null
            Invoke-DbQuery @'
            DROP TABLE IF EXISTS typed;
            DROP TYPE IF EXISTS mood CASCADE;
            DROP DOMAIN IF EXISTS posint CASCADE;
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
            '@
            """);
    }

    public static TheoryData<string, string, string, string, string, string> Cases() => new()
    {
        // column type, good value (PowerShell), read back as, expected, bad value, the reason it is refused
        { "smallint", "12", "v::text", "12", "40000", "is out of range for smallint (-32768 to 32767)" },
        { "integer", "'42'", "v::text", "42", "'4.5'", "is not a whole number" },
        { "bigint", "[long]9007199254740993", "v::text", "9007199254740993", "2.5", "is not a whole number in bigint's range" },
        { "numeric(5,2)", "'123.45'", "v::text", "123.45", "1.234", "has 3 decimal places; the column keeps 2" },
        { "numeric(5,2)", "[decimal]-999.5", "v::text", "-999.50", "'1234.5'", "has too many digits before the decimal point for numeric(5,2)" },
        { "real", "1.5", "v::text", "1.5", "'abc'", "is not a number" },
        { "double precision", "'NaN'", "v::text", "NaN", "$true", "is a Boolean, not a number" },
        { "boolean", "'t'", "v::text", "true", "'maybe'", "is not a boolean" },
        { "boolean", "$false", "v::text", "false", "2", "is a Int32, not a boolean" },
        { "text", "'😀 é'", "v", "😀 é", "\"a`0b\"", "contains a NUL character" },
        { "text", "'😀'", "v", "😀", "'😀'.Substring(0, 1)", "has half of a UTF-16 surrogate pair (U+D83D) at character 1" },
        { "varchar(3)", "'😀😀😀'", "v", "😀😀😀", "'abcd'", "is 4 characters long; the column holds at most 3" },
        { "char(3)", "'ab'", "v::text || '|'", "ab|", "'abcd'", "is 4 characters long; the column holds at most 3" },
        { "date", "'2024-02-29'", "v::text", "2024-02-29", "[datetime]'2024-01-01 10:00'", "has a time of day" },
        { "timestamp", "'2024-01-02 03:04:05'", "v::text", "2024-01-02 03:04:05", "'yesterday'", "is not a date and time" },
        { "timestamptz", "[datetimeoffset]'2024-01-02T03:04:05+02:00'", "(v AT TIME ZONE 'UTC')::text", "2024-01-02 01:04:05", "@{}", "is a Hashtable, not a date and time" },
        { "uuid", "[guid]'0b7e7dee-87b6-4a1f-9b38-2e8c2d1e4f10'", "v::text", "0b7e7dee-87b6-4a1f-9b38-2e8c2d1e4f10", "'not-a-uuid'", "is not a uuid" },
        { "bytea", "[byte[]](1, 2, 255)", "v::text", "\\x0102ff", "'plain'", "is text, not bytes" },
        { "inet", "'10.1.2.3/8'", "v::text", "10.1.2.3/8", "'10.1.2.300'", "is not a network address" },
        { "cidr", "'10.0.0.0/8'", "v::text", "10.0.0.0/8", "'10.1.0.0/8'", "has bits set to the right of its netmask" },
        { "interval", "[timespan]'1.02:03:04'", "v::text", "1 day 02:03:04", "'soon'", "is not a time span" },
        { "json", "@{ a = 1 }", "v::text", "{\"a\":1}", "'{nope'", "is not valid JSON" },
        { "jsonb", "'[1, 2]'", "v::text", "[1, 2]", "'{'", "is not valid JSON" },
        { "integer[]", "@(1, $null, 3)", "v::text", "{1,NULL,3}", "@(1, 'x')", "element 2 'x' is not a whole number" },
        { "text[]", "@('a', 'b c')", "v::text", "{a,\"b c\"}", "'abc'", "is a String, not an array" },
        { "mood", "'happy'", "v::text", "happy", "'angry'", "is not one of the labels 'sad', 'happy'" },
        { "posint", "5", "v::text", "5", "'x'", "is not a whole number" },
        { "point", "'(1,2)'", "v::text", "(1,2)", "[datetime]'2024-01-01'", "is a DateTime, not text" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_type_stores_a_good_value_exactly_and_refuses_a_bad_one_by_record_column_and_value(
        string type, string good, string read, string expected, string bad, string reason)
    {
        Sql($"DROP TABLE IF EXISTS typed; CREATE TABLE typed (id int, v {type})");
        Shell.Run($"[pscustomobject]@{{ id = 1; v = {good} }} | Write-DbTable typed");
        Assert.Equal(expected, SqlScalar($"SELECT {read} FROM typed"));

        var refused = Shell.Invoke($"[pscustomobject]@{{ id = 2; v = {good} }}, [pscustomobject]@{{ id = 3; v = {bad} }} | Write-DbTable typed");
        Assert.Equal("PgUsers.InvalidRecord,PgUsers.Commands.WriteDbTableCommand", refused.Error!.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 2 is not valid: v '", refused.Error.Exception.Message);
        Assert.Contains(reason, refused.Error.Exception.Message);
        Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM typed")));
    }

    [Fact]
    public void Rows_encoded_by_the_module_store_what_Npgsqls_importer_stores()
    {
        // enc has only kinds the module encodes itself; imp has the same columns and an array, so its COPY goes
        // through Npgsql's importer. The same objects into both must store the same values, edge cases included.
        const string Columns = "n, b, i, s, r, d, f, t, v, c, nm, dt, ts, tz, u, by, iv, j, jb, m, nu, np";
        Sql($"""
            DROP TABLE IF EXISTS enc, imp;
            CREATE TABLE enc (n int, b bigint, i int, s smallint, r real, d double precision, f boolean, t text, v varchar(5), c char(3),
                nm name, dt date, ts timestamp, tz timestamptz, u uuid, by bytea, iv interval, j json, jb jsonb, m mood, nu numeric, np numeric(12,3));
            CREATE TABLE imp (LIKE enc, x int[]);
            """);
        Shell.Run("""
            $rows = @(
                [pscustomobject]@{ n = 1; b = [long]::MaxValue; i = [int]::MinValue; s = [int16]::MaxValue; r = [float]::NaN; d = [double]::PositiveInfinity
                    f = $true; t = 'héllo 😀 €'; v = 'a😀c'; c = 'x'; nm = 'Name'; dt = [datetime]'1999-12-31'
                    ts = [datetime]::new(1999, 12, 31, 23, 59, 59).AddTicks(9999999); tz = [datetimeoffset]'2024-06-01T12:00:00.1234567+02:00'
                    u = [guid]'0f8fad5b-d9cb-469f-a165-70867728950e'; by = [byte[]](0, 1, 255); iv = [timespan]::new(-1, -2, -3, -4, -5)
                    j = '{"a": 1}'; jb = @{ k = 'v' }; m = 'happy'; nu = [decimal]'123.45'; np = [decimal]'123456789.125' }
                [pscustomobject]@{ n = 2; b = [long]::MinValue; i = 0; s = -1; r = [float]1.5e-45; d = [double]::NaN
                    f = $false; t = ''; v = ' '; c = ''; nm = ''; dt = [datetime]::MinValue
                    ts = [datetime]::MaxValue; tz = [datetime]::new(2000, 1, 1, 0, 0, 0, [DateTimeKind]::Utc).AddTicks(-1)
                    u = [guid]::Empty; by = [byte[]]@(); iv = [timespan]::new(400, 23, 59, 59, 999); j = '[]'; jb = '{"x": [1, 2.5, null]}'; m = 'sad'; nu = [decimal]::MaxValue; np = [decimal]'-0.5' }
                [pscustomobject]@{ n = 3; b = $null; i = $null; s = $null; r = [float]::NegativeInfinity; d = -0.0; f = $null; t = $null; v = $null; c = $null
                    nm = $null; dt = [datetime]'0001-01-02'; ts = [datetime]'2262-04-11 23:47:16.854775'; tz = $null; u = $null; by = $null
                    iv = [timespan]::Zero; j = $null; jb = $null; m = $null; nu = [decimal]'-0.0000000000000000000000000001'; np = 0 }
                [pscustomobject]@{ n = 4; nu = [decimal]'100000'; np = [decimal]'1.500' }
                [pscustomobject]@{ n = 5; nu = [decimal]'-1.2300'; np = [decimal]'0.001' }
                [pscustomobject]@{ n = 6; nu = [decimal]'0.00'; np = [decimal]'-99999999.999' }
            )
            $rows | Write-DbTable enc
            # x (an array) in imp's COPY takes the whole COPY through the importer.
            foreach ($row in $rows) { Add-Member -InputObject $row -NotePropertyName x -NotePropertyValue @(1) }
            $rows | Write-DbTable imp
            """);
        string Rows(string table) => string.Join("\n", Sql($"SELECT ({Columns})::text FROM {table} ORDER BY n").Select(r => (string)r[0]!));
        Assert.Equal(6L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM enc")));
        Assert.Equal(Rows("imp"), Rows("enc"));
        Assert.Equal("-infinity|infinity", SqlScalar("SELECT dt::text || '|' || (SELECT ts::text FROM enc WHERE n = 2) FROM enc WHERE n = 2"));
        Sql("DROP TABLE enc, imp");
    }

    [Fact]
    public void A_domain_CHECK_is_the_servers_error_named_per_record()
    {
        Sql("DROP TABLE IF EXISTS typed; CREATE TABLE typed (id int, v posint)");
        var result = Shell.Invoke("1..4 | ForEach-Object { [pscustomobject]@{ id = $_; v = 2 - $_ } } | Write-DbTable typed");
        Assert.Equal("PgUsers.Sql.23514,PgUsers.Commands.WriteDbTableCommand", result.Error!.FullyQualifiedErrorId);
        Assert.StartsWith("Input record 2 was not written: value for domain posint violates check constraint", result.Error.Exception.Message);
        Assert.Equal(0L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM typed")));
    }

    [Fact]
    public void SkipInvalid_skips_each_record_a_domain_CHECK_refuses()
    {
        Sql("DROP TABLE IF EXISTS typed; CREATE TABLE typed (id int, v posint)");
        var result = Shell.Invoke("1..5 | ForEach-Object { [pscustomobject]@{ id = $_; v = if ($_ % 2) { $_ } else { -$_ } } } | Write-DbTable typed -SkipInvalid");
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("PgUsers.Sql.23514,PgUsers.Commands.WriteDbTableCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
            Assert.Equal("public.typed", e.TargetObject);
        });
        Assert.StartsWith("Input record 2 was not written: value for domain posint violates check constraint", result.Errors[0].Exception.Message);
        Assert.StartsWith("Input record 4 was not written: value for domain posint violates check constraint", result.Errors[1].Exception.Message);
        Assert.Equal(new object?[] { 1, 3, 5 }, Sql("SELECT v FROM typed ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void SkipInvalid_skips_a_value_the_servers_text_input_refuses()
    {
        Sql("DROP TABLE IF EXISTS typed; CREATE TABLE typed (id int, v point)");
        var result = Shell.Invoke("""
            [pscustomobject]@{ id = 1; v = '(1,2)' }, [pscustomobject]@{ id = 2; v = 'nope' }, [pscustomobject]@{ id = 3; v = [datetime]'2024-01-01' }, [pscustomobject]@{ id = 4; v = '(3,4)' } |
                Write-DbTable typed -SkipInvalid
            """);
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("Input record 3 is not valid: v", result.Errors[0].Exception.Message);
        Assert.Equal("PgUsers.Sql.22P02,PgUsers.Commands.WriteDbTableCommand", result.Errors[1].FullyQualifiedErrorId);
        Assert.StartsWith("Input record 2 was not written: invalid input syntax for type point: \"nope\"", result.Errors[1].Exception.Message);
        Assert.Equal(ErrorCategory.InvalidData, result.Errors[1].CategoryInfo.Category);
        Assert.Equal(new object?[] { "1 (1,2)", "4 (3,4)" }, Sql("SELECT id || ' ' || v::text FROM typed ORDER BY id").Select(r => r[0]));
    }

    [Fact]
    public void Another_type_goes_as_text_and_the_server_parses_it()
    {
        Sql("DROP TABLE IF EXISTS typed; CREATE TABLE typed (id int, v point, w mood[])");
        Shell.Run("[pscustomobject]@{ id = 1; v = '(1,2)'; w = @('sad', 'happy') } | Write-DbTable typed");
        Assert.Equal(new object?[] { "(1,2)", "{sad,happy}" }, Sql("SELECT v::text, w::text FROM typed").Single());
        var result = Shell.Invoke("[pscustomobject]@{ id = 2; v = 'nope' } | Write-DbTable typed");
        Assert.Equal("PgUsers.Sql.22P02,PgUsers.Commands.WriteDbTableCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains("point", result.Error.Exception.Message);
        Assert.Equal(1L, Convert.ToInt64(SqlScalar("SELECT count(*) FROM typed")));
    }
}
