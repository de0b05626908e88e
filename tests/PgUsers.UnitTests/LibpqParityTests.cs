using System.Runtime.InteropServices;

namespace PgUsers.UnitTests;

/// <summary>
/// DbUrl.Parse against libpq itself: thousands of random URL strings, each parsed by libpq's own
/// PQconninfoParse and by the module. They must agree, apart from the differences we chose on purpose.
/// </summary>
public sealed class LibpqParityTests
{
    private static readonly string[] Pieces =
    {
        "a", "b", "x1", ":", "@", "/", "?", "&", "=", "%", "%41", "%2F", "%3A", "%40", "%2C", "%25", "%zz", "%2", "%00",
        "[", "]", ",", "#", " ", "1", "5432", "::1", "user=", "dbname=", "port=", "password=", "sslmode=", "application_name=",
    };

    // Differences on purpose; each names the module's own error, and libpq accepts the URL only at parse time.
    private static readonly string[] DeliberateErrors =
    {
        "port is not a number",     // libpq checks ports only when connecting
        "host contains '@'",        // a misplaced password, refused before it reaches DNS and error messages
        "not valid UTF-8",          // .NET strings are Unicode; libpq passes raw bytes
        "ports for",                // libpq refuses the mismatch only when connecting
    };

    /// <summary>What the module made of a URL, as libpq's keywords (or its error).</summary>
    private static Dictionary<string, string>? Ours(string text, out string? error)
    {
        error = null;
        DbUrl url;
        try
        {
            url = DbUrl.Parse(text);
        }
        catch (DbConfigurationException e)
        {
            error = e.Message;
            return null;
        }
        var d = new Dictionary<string, string>();
        if (url.Username is { } user) d["user"] = user;
        if (!string.IsNullOrEmpty(url.Password)) d["password"] = url.Password;
        if (url.Database is { } database) d["dbname"] = database;
        if (url.Hosts.Count > 0) d["host"] = string.Join(",", url.Hosts.Select(h => h.Name));
        if (url.Hosts.Any(h => h.Port is not null)) d["port"] = string.Join(",", url.Hosts.Select(h => h.Port?.ToString() ?? ""));
        foreach (var (key, value) in url.QueryPairs) d[key] = value;
        return d;
    }

    [Fact]
    public void Random_urls_parse_as_libpq_parses_them()
    {
        if (!Libpq.Available) return; // PostgreSQL's binaries bring libpq; elsewhere there is nothing to compare with.
        var random = new Random(5432);
        var urls = Enumerable.Range(0, 3000)
            .Select(_ => "postgresql://" + string.Concat(Enumerable.Range(0, random.Next(0, 11)).Select(_ => Pieces[random.Next(Pieces.Length)])))
            .ToArray();
        int agreed = 0;
        var disagreements = new List<string>();
        foreach (var text in urls)
        {
            var theirs = Libpq.Parse(text, out string? theirError);
            var ours = Ours(text, out string? ourError);
            if (ours is null)
            {
                if (theirs is null || DeliberateErrors.Any(ourError!.Contains)) { agreed++; continue; }
                disagreements.Add($"{text}: only we refuse it ({ourError})");
            }
            else if (theirs is null)
            {
                // Like SQLAlchemy we keep any option; New-DbEngine refuses what Npgsql can't take.
                if (theirError!.Contains("invalid URI query parameter")) { agreed++; continue; }
                disagreements.Add($"{text}: only libpq refuses it ({theirError.Trim()})");
            }
            else
            {
                var expected = Normal(theirs);
                var actual = Normal(ours);
                if (expected.SequenceEqual(actual)) agreed++;
                else disagreements.Add($"{text}: libpq {Show(expected)}, we {Show(actual)}");
            }
        }
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(10)));
        Assert.Equal(urls.Length, agreed);
    }

    /// <summary>Empty values mean "the default" to both; a host or port list of empty items is none.</summary>
    private static List<KeyValuePair<string, string>> Normal(Dictionary<string, string> values) => values
        .Where(p => p.Value.Length > 0 && !(p.Key == "port" && p.Value.Split(',').All(x => x.Length == 0)))
        .Where(p => !(p.Key == "host" && p.Value.Split(',').All(x => x.Length == 0)))
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .ToList();

    private static string Show(IEnumerable<KeyValuePair<string, string>> values) => "{" + string.Join(", ", values.Select(p => $"{p.Key}='{p.Value}'")) + "}";

    /// <summary>libpq's PQconninfoParse through P/Invoke.</summary>
    private static class Libpq
    {
        private const string Library = "libpq.so.5";

        public static bool Available { get; } = NativeLibrary.TryLoad(Library, out _);

        [DllImport(Library)]
        private static extern IntPtr PQconninfoParse([MarshalAs(UnmanagedType.LPUTF8Str)] string conninfo, out IntPtr errmsg);

        [DllImport(Library)]
        private static extern void PQconninfoFree(IntPtr options);

        [DllImport(Library)]
        private static extern void PQfreemem(IntPtr pointer);

        /// <summary>The options libpq set (keyword → value), or null with libpq's error.</summary>
        public static Dictionary<string, string>? Parse(string conninfo, out string? error)
        {
            IntPtr options = PQconninfoParse(conninfo, out IntPtr errmsg);
            error = null;
            if (options == IntPtr.Zero)
            {
                error = Marshal.PtrToStringUTF8(errmsg) ?? "";
                if (errmsg != IntPtr.Zero) PQfreemem(errmsg);
                return null;
            }
            try
            {
                // PQconninfoOption: keyword, envvar, compiled, val, label, dispchar (pointers), dispsize (int).
                int size = 6 * IntPtr.Size + IntPtr.Size;
                var result = new Dictionary<string, string>();
                for (IntPtr item = options; Marshal.ReadIntPtr(item) != IntPtr.Zero; item += size)
                {
                    IntPtr value = Marshal.ReadIntPtr(item, 3 * IntPtr.Size);
                    if (value != IntPtr.Zero) result[Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(item))!] = Marshal.PtrToStringUTF8(value)!;
                }
                return result;
            }
            finally
            {
                PQconninfoFree(options);
            }
        }
    }
}
