using System.Runtime.InteropServices;
using Npgsql;
using PgUsers.Benchmarks;

// Usage: dotnet run -c Release --project tests/PgUsers.Benchmarks [-- [--quick] [--only <case name part>]]
// Uses the server in PGUSERS_URL (it must allow CREATE DATABASE), else starts a sandbox.
// Hidden: --raw-percall <calls> is the per-call group's raw pooled loop in its own process (RawProcess).
if (args.Length == 2 && args[0] == RawProcess.Mode) return RawProcess.Child(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
var settings = args.Contains("--quick") ? Settings.QuickRun : Settings.Full;
int onlyAt = Array.IndexOf(args, "--only");
string? only = onlyAt >= 0 && onlyAt + 1 < args.Length ? args[onlyAt + 1] : null;
const string BenchDatabase = "pgusers_bench";

string manifest = FindManifest();
using var ps = new PsSession(manifest);
string? serverUrl = Environment.GetEnvironmentVariable("PGUSERS_URL");
bool sandbox = string.IsNullOrEmpty(serverUrl);
if (sandbox)
{
    Console.Error.WriteLine("Starting a sandbox server...");
    serverUrl = ps.Scalar<string>("$global:sandbox = Start-DbSandbox; $sandbox.Url.RenderAsString($false)");
}
try
{
    using (var admin = new NpgsqlConnection(ServerUrl.ToConnectionString(serverUrl!)))
    {
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {BenchDatabase} WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
        using var create = new NpgsqlCommand($"CREATE DATABASE {BenchDatabase}", admin);
        create.ExecuteNonQuery();
    }
    ps.Set("serverUrl", serverUrl);
    string benchUrl = ps.Scalar<string>($"(New-DbUrl -Url $serverUrl -Database {BenchDatabase}).RenderAsString($false)");
    ps.Set("benchUrl", benchUrl);
    ps.Run("$engine = New-DbEngine $benchUrl -Name bench; Initialize-DbUserTable");
    using var raw = new RawDb(ServerUrl.ToConnectionString(benchUrl));
    string serverVersion = ps.Scalar<string>("Invoke-DbQuery 'SHOW server_version' -Scalar");
    // out/PgUsers holds whichever configuration was built last; a Debug module runs unoptimized.
    bool debugModule = ps.Scalar<bool>(
        "[bool]([PgUsers.DbEngine].Assembly.GetCustomAttributes([System.Diagnostics.DebuggableAttribute], $false) | Where-Object IsJITOptimizerDisabled)");

    var rows = new Suite(settings, ps, raw, only).Run();

    Console.WriteLine();
    Console.WriteLine($"PgUsers benchmarks ({(settings.Quick ? "--quick: small counts, not the target figures" : "full run")}), median of {settings.Runs} runs after a warm-up.");
    Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, load average {LoadAverage()}, " +
        $"{RuntimeInformation.FrameworkDescription}, PostgreSQL {serverVersion} ({(sandbox ? "sandbox" : "PGUSERS_URL")}, same host).");
    if (debugModule) Console.WriteLine("WARNING: out/PgUsers holds a Debug build; run `dotnet build -c Release PgUsers.sln` for real figures.");
    Console.WriteLine();
    Console.Write(ResultTable.Render(rows));
    return 0;
}
finally
{
    if (sandbox) ps.Run("Stop-DbSandbox");
}

static string FindManifest()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PgUsers.sln"))) dir = dir.Parent;
    string manifest = Path.Combine(dir?.FullName ?? ".", "out", "PgUsers", "PgUsers.psd1");
    return File.Exists(manifest) ? manifest : throw new FileNotFoundException("Build the solution first: out/PgUsers is missing.", manifest);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
