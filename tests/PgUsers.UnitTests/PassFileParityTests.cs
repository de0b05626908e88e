using System.Runtime.InteropServices;

namespace PgUsers.UnitTests;

/// <summary>
/// PassFile's matching against libpq itself: random password files and random connections, each looked up by libpq
/// (PQconnectStartParams reads the file before it connects; PQpass says what it found) and by the module.
/// libpq connects to hostaddr 127.0.0.1 on port 1 or 2, where nothing listens, so no name is resolved and nothing answers.
/// </summary>
public sealed class PassFileParityTests : IDisposable
{
    private static readonly string[] Pieces =
    {
        "h", "localhost", "a:b", "*", "\\*", "1", "2", "d", "u", ":", "\\:", "\\\\", "\\", "#", " ", "\r", "pw", "x*", "\n",
    };

    private static readonly string[] Hosts = { "h", "localhost", "a:b", "*", "h " };
    private static readonly string[] Names = { "d", "u", "*", ":", "\\", "d:u" };

    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-passfile-parity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Random_password_files_give_the_password_libpq_gives()
    {
        if (!Libpq.Available || OperatingSystem.IsWindows()) return; // PostgreSQL's binaries bring libpq; elsewhere there is nothing to compare with.
        string path = Path.Combine(_folder, "pgpass");
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var random = new Random(5433);
        var disagreements = new List<string>();
        int found = 0;
        for (int i = 0; i < 3000; i++)
        {
            string text = string.Join("\n", Enumerable.Range(0, random.Next(1, 5)).Select(_ => Line(random)));
            File.WriteAllText(path, text);
            string host = Hosts[random.Next(Hosts.Length)], database = Names[random.Next(Names.Length)], user = Names[random.Next(Names.Length)];
            int port = random.Next(1, 3);
            string theirs = Libpq.Password(path, host, port, database, user);
            string ours = PassFile.Lookup(PassFile.Parse(new StringReader(text)), host, port, database, user) ?? "";
            if (theirs.Length > 0) found++;
            if (theirs != ours) disagreements.Add($"{Show(text)} for {host}:{port}:{database}:{user}: libpq '{Show(theirs)}', we '{Show(ours)}'");
        }
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(10)));
        // The comparison means something only if libpq found passwords often enough.
        Assert.True(found > 100, $"libpq found a password in only {found} cases");
    }

    /// <summary>Mostly four to six fields of likely values, sometimes any run of pieces.</summary>
    private static string Line(Random random)
    {
        string Piece() => Pieces[random.Next(Pieces.Length)];
        if (random.Next(4) == 0) return string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Piece()));
        var likely = new[] { "h", "localhost", "a\\:b", "*", "1", "2", "d", "u", "d\\:u", "\\\\", "pw", "x*" };
        string fields = string.Join(":", Enumerable.Range(0, random.Next(4, 7))
            .Select(_ => random.Next(5) switch { 0 => Piece(), 1 or 2 => "*", _ => likely[random.Next(likely.Length)] }));
        return fields + (random.Next(6) == 0 ? "\r" : "");
    }

    private static string Show(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n");

    private static class Libpq
    {
        private const string Library = "libpq.so.5";

        public static bool Available { get; } = NativeLibrary.TryLoad(Library, out _);

        [DllImport(Library)]
        private static extern IntPtr PQconnectStartParams(IntPtr[] keywords, IntPtr[] values, int expandDbname);

        [DllImport(Library)]
        private static extern IntPtr PQpass(IntPtr conn);

        [DllImport(Library)]
        private static extern void PQfinish(IntPtr conn);

        /// <summary>The password libpq took from the file for the connection ("" for none).</summary>
        public static string Password(string passfile, string host, int port, string database, string user)
        {
            // char** arrays ending in NULL, as UTF-8.
            var keywords = new[] { "host", "hostaddr", "port", "dbname", "user", "passfile", "sslmode", "gssencmode" }
                .Select(Marshal.StringToCoTaskMemUTF8).Append(IntPtr.Zero).ToArray();
            var values = new[] { host, "127.0.0.1", port.ToString(), database, user, passfile, "disable", "disable" }
                .Select(Marshal.StringToCoTaskMemUTF8).Append(IntPtr.Zero).ToArray();
            IntPtr conn = PQconnectStartParams(keywords, values, 0);
            try
            {
                return Marshal.PtrToStringUTF8(PQpass(conn)) ?? "";
            }
            finally
            {
                PQfinish(conn);
                foreach (var pointer in keywords.Concat(values)) Marshal.FreeCoTaskMem(pointer);
            }
        }
    }
}
