using System.Globalization;
using System.Runtime.InteropServices;

namespace PgUsers.Url;

/// <summary>
/// libpq's password file, read once when an engine is made that has no password of its own: the file is the
/// passfile option (the URL's, else its service's, else PGPASSFILE), else ~/.pgpass (%APPDATA%\postgresql\pgpass.conf
/// on Windows). As libpq: a missing file is ignored; on Unix a file that is not a plain file, or that the group or
/// others may access, is not read, and <see cref="Warning"/> says so in libpq's words; the first matching line wins.
/// </summary>
internal sealed class PassFile
{
    private readonly IReadOnlyList<PassFileLine> _lines;

    private PassFile(string path, IReadOnlyList<PassFileLine> lines, string? warning, string? unread)
    {
        Path = path;
        _lines = lines;
        Warning = warning;
        Unread = unread;
    }

    /// <summary>The file looked at.</summary>
    public string Path { get; }

    /// <summary>libpq's warning when the file exists but was not read (no "WARNING:": PowerShell adds it), else null.</summary>
    public string? Warning { get; }

    /// <summary>Why no line was read (missing, refused), for the error of a connect that needed a password; null when read.</summary>
    public string? Unread { get; }

    /// <summary>The file for <paramref name="given"/> (the passfile option, null when unset), read by libpq's rules.</summary>
    public static PassFile Open(string? given, Func<string, string?> environment)
    {
        string path = given ?? DefaultPath(environment);
        if (!File.Exists(path) && !Directory.Exists(path)) return new PassFile(path, Array.Empty<PassFileLine>(), null, "does not exist");
        if (!OperatingSystem.IsWindows())
        {
            if (UnixMode(path) is int mode)
            {
                if ((mode & 0xF000) != 0x8000) return Refused(path, $"password file \"{path}\" is not a plain file");
                if ((mode & 0x3F) != 0) return Refused(path, $"password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less");
            }
        }
        else if (Directory.Exists(path))
        {
            return new PassFile(path, Array.Empty<PassFileLine>(), null, "is a folder");
        }
        try
        {
            using var reader = new StreamReader(path);
            return new PassFile(path, Parse(reader), null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // libpq ignores a file it cannot open.
            return new PassFile(path, Array.Empty<PassFileLine>(), null, "could not be read (" + e.Message + ")");
        }
    }

    /// <summary>The lines that can match, in file order (comments and blank lines left out).</summary>
    public static IReadOnlyList<PassFileLine> Parse(TextReader text)
    {
        // Lines end at \n only, as fgets reads them: a carriage return inside a line is part of it.
        var lines = new List<PassFileLine>();
        foreach (var raw in text.ReadToEnd().Split('\n'))
        {
            if (PassFileLine.Parse(raw) is { } line) lines.Add(line);
        }
        return lines;
    }

    /// <summary>The password of the first line matching the connection, or null (none, or an empty one, which libpq treats as none).</summary>
    public string? PasswordFor(string host, int port, string database, string user) =>
        Lookup(_lines, host, port, database, user);

    /// <inheritdoc cref="PasswordFor"/>
    public static string? Lookup(IEnumerable<PassFileLine> lines, string host, int port, string database, string user)
    {
        string name = HostForMatching(host);
        string portText = port.ToString(CultureInfo.InvariantCulture);
        foreach (var line in lines)
        {
            if (line.PasswordFor(name, portText, database, user) is { } password) return password.Length > 0 ? password : null;
        }
        return null;
    }

    /// <summary>
    /// The name a host is matched by: libpq matches an empty host, and the default socket folder, as localhost
    /// (Debian's libpq uses /var/run/postgresql, upstream's /tmp: both count here).
    /// </summary>
    public static string HostForMatching(string host) => host is "" or "/var/run/postgresql" or "/run/postgresql" or "/tmp" ? "localhost" : host;

    /// <summary>libpq's default file: ~/.pgpass, or %APPDATA%\postgresql\pgpass.conf on Windows.</summary>
    public static string DefaultPath(Func<string, string?> environment)
    {
        if (OperatingSystem.IsWindows())
        {
            string appData = environment("APPDATA") is { Length: > 0 } a ? a : Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
            return System.IO.Path.Combine(appData, "postgresql", "pgpass.conf");
        }
        string home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return System.IO.Path.Combine(home, ".pgpass");
    }

    private static PassFile Refused(string path, string warning) => new(path, Array.Empty<PassFileLine>(), warning, "was not read: " + warning);

    /// <summary>
    /// stat()'s st_mode (following links), or null when it cannot be had. .NET says neither a file's type nor its
    /// group and other bits apart from UnixFileMode, so this asks the runtime's own native shim, whose FileStatus
    /// starts with two 32-bit fields: flags, then the mode.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static int? UnixMode(string path)
    {
        var status = new byte[256];
        try
        {
            return SystemNativeStat(path, status) == 0 ? BitConverter.ToInt32(status, 4) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return (int)File.GetUnixFileMode(path) | (File.Exists(path) ? 0x8000 : 0x4000);
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
