using System.Globalization;
using System.Text;

namespace PgUsers.Benchmarks;

/// <summary>One line of the report: our figure beside its baseline, the ratio, its target.</summary>
internal sealed record ResultRow(string Operation, string Ours, string Baseline, string Ratio, string Target, string Met)
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Throughput ratio ours/baseline (higher is better), both timed over <paramref name="rows"/> rows.</summary>
    public static ResultRow Throughput(string operation, string baselineName, long rows, double oursSeconds, double baselineSeconds, double atLeast) =>
        Throughput(operation, baselineName, rows / oursSeconds, rows / baselineSeconds, atLeast);

    public static ResultRow Throughput(string operation, string baselineName, double oursRate, double baselineRate, double atLeast)
    {
        double ratio = oursRate / baselineRate;
        return new(operation, Rate(oursRate), $"{baselineName}: {Rate(baselineRate)}",
            Format($"{ratio:0.00}× throughput"), Format($"≥ {atLeast:0.0#}×"), Verdict(ratio >= atLeast));
    }

    public static ResultRow Missing(string operation, string baselineName, string target) =>
        new(operation, "n/a (Add-DbUser missing)", baselineName, "n/a", target, "n/a");

    public static string Rate(double perSecond) => perSecond >= 1e6
        ? Format($"{perSecond / 1e6:0.00} M rows/s")
        : Format($"{perSecond / 1e3:0.0} k rows/s");

    public static string PerCall(double seconds) => Format($"{seconds * 1e6:0.0} µs/call");

    public static string Verdict(bool met) => met ? "yes" : "**no**";

    public static string Format(FormattableString text) => text.ToString(s_inv);
}

internal static class ResultTable
{
    private static readonly string[] s_headers = { "Operation", "Ours", "Baseline", "Ratio", "Target", "Met?" };

    /// <summary>A Markdown table, padded so it also reads well in a terminal.</summary>
    public static string Render(IReadOnlyList<ResultRow> rows)
    {
        var cells = rows.Select(r => new[] { r.Operation, r.Ours, r.Baseline, r.Ratio, r.Target, r.Met }).ToList();
        var widths = s_headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        Line(text, s_headers, widths);
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in cells) Line(text, row, widths);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths) =>
        text.AppendLine("| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |");
}
