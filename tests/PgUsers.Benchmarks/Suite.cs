namespace PgUsers.Benchmarks;

/// <summary>The speed targets (README, Performance), run one after another on one server and one data set.</summary>
internal sealed partial class Suite
{
    /// <summary>The SQL Get-DbUser sends for "all users": the raw reader runs the same text.</summary>
    private const string AllUsersSql =
        "SELECT telegram_id, full_name, username, language_code, created_at, referrer_id FROM users ORDER BY telegram_id";

    private readonly Settings _settings;
    private readonly PsSession _ps;
    private readonly RawDb _raw;
    private readonly BenchUser[] _users;
    private readonly List<ResultRow> _rows = new();
    private readonly string? _only;

    public Suite(Settings settings, PsSession ps, RawDb raw, string? only = null)
    {
        _only = only;
        _settings = settings;
        _ps = ps;
        _raw = raw;
        _users = BenchUser.Generate(Math.Max(settings.Users, settings.LoadUsers));
    }

    public IReadOnlyList<ResultRow> Run()
    {
        Step("Seeding users", SeedUsers);
        Step("Get-DbUser vs raw typed reader", ReadUsers);
        Step("Invoke-DbQuery vs raw GetValue", ReadGenericRows);
        Step("Per-call cost", PerCall);
        Step("Small calls in real pwsh", SmallCalls);
        Step("Heap while streaming", HeapWhileStreaming);
        Step("Loading users", LoadUsers);
        Step("CSV files", CsvFiles);
        Step("Sandbox start", SandboxStart);
        Step("Writing tables", WriteTables);
        Step("Copy-DbTable", CopyTable);
        Step("Notification latency", NotificationLatency);
        return _rows;
    }

    private void SeedUsers()
    {
        _raw.Exec("TRUNCATE users");
        _raw.Copy(_users.Take(_settings.Users));
        _raw.Exec("VACUUM ANALYZE users");
    }

    private double[] Interleaved(params Action[] bodies) => Measure.Interleaved(_settings.Runs, bodies);

    private double[] InterleavedTimed(params Func<double>[] timedBodies) => Measure.InterleavedTimed(_settings.Runs, timedBodies);

    /// <summary>Runs one case (all of them, or those whose name contains --only's value).</summary>
    private void Step(string name, Action body)
    {
        if (_only is not null && !name.Contains(_only, StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Seeding")) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Console.Error.Write($"{name}... ");
        body();
        Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Fails loudly when an operation did not move the rows it was timed for.</summary>
    private static void Expect(long expected, long actual, string what)
    {
        if (expected != actual) throw new InvalidOperationException($"{what}: expected {expected} rows, got {actual}.");
    }
}
