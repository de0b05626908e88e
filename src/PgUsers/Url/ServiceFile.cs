namespace PgUsers.Url;

/// <summary>
/// libpq's connection service file (pg_service.conf): which file holds a service, and the keywords its section
/// sets. The rules are libpq's, read from its parseServiceFile: the per-user file (PGSERVICEFILE, else
/// ~/.pg_service.conf) is searched first, then PGSYSCONFDIR/pg_service.conf; the first section of that name
/// wins, and inside it the first setting of a keyword; lines are trimmed, # starts a comment, and an unknown
/// keyword or a line without = is a syntax error.
/// </summary>
internal static class ServiceFile
{
    /// <summary>libpq's keywords (a service may set any of them, except service itself).</summary>
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding", "connect_timeout",
        "client_encoding", "options", "application_name", "fallback_application_name", "keepalives", "keepalives_idle",
        "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication", "sslmode", "sslnegotiation",
        "sslcompression", "sslcert", "sslkey", "sslcertmode", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir",
        "sslsni", "requirepeer", "require_auth", "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode",
        "krbsrvname", "gsslib", "gssdelegation", "target_session_attrs", "load_balance_hosts",
    };

    /// <summary>Where libpq looks for the system-wide file when PGSYSCONFDIR is not set (Debian's and most packagers' choice).</summary>
    public const string DefaultSysConfDir = "/etc/postgresql-common";

    /// <summary>
    /// The keywords a service sets, in file order, and the file they came from. Throws
    /// <see cref="DbConfigurationException"/> when no file defines it or a file is malformed.
    /// </summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Settings, string File) Lookup(string service, Func<string, string?> environment)
    {
        foreach (var file in Files(environment))
        {
            if (!System.IO.File.Exists(file)) continue;
            using var reader = new StreamReader(file);
            if (Parse(reader, file, service) is { } settings) return (settings, file);
        }
        throw new DbConfigurationException(
            $"The service '{service}' is not defined in any service file (searched {string.Join(", ", Files(environment))}).", "Query");
    }

    /// <summary>The files libpq searches, in order: the user's, then the system's.</summary>
    public static IEnumerable<string> Files(Func<string, string?> environment)
    {
        if (environment("PGSERVICEFILE") is { Length: > 0 } explicitFile)
        {
            yield return explicitFile;
        }
        else if ((environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) is { Length: > 0 } home)
        {
            yield return Path.Combine(home, ".pg_service.conf");
        }
        yield return Path.Combine(environment("PGSYSCONFDIR") is { Length: > 0 } dir ? dir : DefaultSysConfDir, "pg_service.conf");
    }

    /// <summary>The settings of the first [service] section of one file, or null when the file has none.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>>? Parse(TextReader text, string fileName, string service)
    {
        List<KeyValuePair<string, string>>? settings = null;
        int number = 0;
        while (text.ReadLine() is { } raw)
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '[')
            {
                // The first section of that name is the service; the next section ends it.
                if (settings is not null) return settings;
                if (line.Length > service.Length + 1 && line[service.Length + 1] == ']' && string.CompareOrdinal(line, 1, service, 0, service.Length) == 0)
                {
                    settings = new List<KeyValuePair<string, string>>();
                }
                continue;
            }
            if (settings is null) continue;
            int equals = line.IndexOf('=');
            string key = equals < 0 ? line : line[..equals];
            if (key == "service")
            {
                throw Bad(fileName, number, "a service cannot name another service");
            }
            if (equals < 0 || !s_keywords.Contains(key))
            {
                throw Bad(fileName, number, equals < 0 ? "expected keyword=value" : $"'{key}' is not a libpq keyword");
            }
            if (!settings.Exists(s => s.Key == key)) settings.Add(new(key, line[(equals + 1)..]));
        }
        return settings;
    }

    private static DbConfigurationException Bad(string file, int line, string why)
        => new($"Syntax error in service file \"{file}\", line {line}: {why}.", "Query");
}
