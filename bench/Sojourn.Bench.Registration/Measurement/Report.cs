using System.Globalization;
using System.Text;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>The results table (Markdown, readable on a terminal too).</summary>
public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Build(IReadOnlyList<(string Key, string Value)> environment, IReadOnlyList<PhaseResult> phases)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(phases);
        var sb = new StringBuilder();
        sb.AppendLine("# 居住登记提交基准 / Registration submission benchmark").AppendLine();
        foreach (var (key, value) in environment)
        {
            sb.Append("- ").Append(key).Append(": ").AppendLine(value);
        }

        sb.AppendLine().AppendLine("## 各阶段 / Phases").AppendLine();
        sb.AppendLine("apps: app processes the clients were spread over (– for a ceiling); c: concurrent clients. CPU columns: CPU time per operation (per registration for COPY) of the bench process (load generator or raw client), all app processes together and the whole PostgreSQL server; they depend less on noisy neighbours than the rates do.").AppendLine();
        sb.AppendLine("| 阶段 Phase | apps | c | ok | 错误 errors | 秒 s | 每秒 per s | p50 ms | p95 ms | p99 ms | max ms | bench CPU ms/op | app CPU ms/op | PG CPU ms/op |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in phases)
        {
            sb.Append(Inv, $"| {p.Name} | {(p.Apps > 0 ? p.Apps.ToString(Inv) : "–")} | {p.Concurrency} | {p.Rows ?? p.Operations} | {p.Errors} | {p.Seconds:F2} | {p.PerSecond:F0} | ")
                .Append(Ms(p.Percentile(50))).Append(" | ").Append(Ms(p.Percentile(95))).Append(" | ")
                .Append(Ms(p.Percentile(99))).Append(" | ").Append(Ms(p.Percentile(100))).Append(" | ")
                .Append(Ms(p.Cpu?.BenchMs)).Append(" | ").Append(Ms(p.Cpu?.AppMs)).Append(" | ").Append(Ms(p.Cpu?.DatabaseMs)).AppendLine(" |");
        }

        sb.AppendLine().AppendLine("## 与上限之比 / Against the ceilings (same concurrency)").AppendLine();
        sb.AppendLine("Ratio = app throughput ÷ ceiling throughput at the same concurrency (1.00 = as fast as raw PostgreSQL); p99 × = app p99 ÷ ceiling p99 (how many times slower); PG CPU × = PostgreSQL CPU per app request ÷ per ceiling operation.").AppendLine();
        Against(sb, "提交 / POST /api/v1/registrations against raw INSERT (1 round trip/registration)", "POST", "INSERT", phases, PhaseKind.Post, PhaseKind.Insert);
        if (phases.FirstOrDefault(p => p.Kind == PhaseKind.Copy) is { } copy
            && phases.FirstOrDefault(p => p.Kind == PhaseKind.Post) is { } firstPost
            && copy.PerSecond > 0)
        {
            sb.Append(Inv, $"Binary COPY on one connection: {copy.PerSecond:F0} registrations/s; POST (apps={firstPost.Apps}, c={firstPost.Concurrency}) ÷ COPY = {firstPost.PerSecond / copy.PerSecond:F3}.")
                .AppendLine().AppendLine();
        }

        Against(sb, "查询 / GET /api/v1/registrations/{id} (audited, field-viewed) against a bare SELECT by primary key", "GET", "SELECT", phases, PhaseKind.Get, PhaseKind.Select);
        return sb.ToString();
    }

    // One row per app phase: its figures beside the ceiling measured at the same concurrency.
    private static void Against(
        StringBuilder sb, string title, string app, string ceiling, IReadOnlyList<PhaseResult> phases, PhaseKind appKind, PhaseKind ceilingKind)
    {
        sb.AppendLine("### " + title).AppendLine();
        sb.AppendLine(Inv, $"| apps | c | {app}/s | {ceiling}/s | 比值 ratio | {app} p50 / p95 / p99 ms | {ceiling} p50 / p95 / p99 ms | p99 × | app CPU ms/{app} | PG CPU ms/op {app} / {ceiling} | PG CPU × |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var a in phases.Where(p => p.Kind == appKind))
        {
            var c = phases.FirstOrDefault(p => p.Kind == ceilingKind && p.Concurrency == a.Concurrency);
            sb.Append(Inv, $"| {a.Apps} | {a.Concurrency} | {a.PerSecond:F0} | {(c is null ? "–" : c.PerSecond.ToString("F0", Inv))} | ")
                .Append(c is { PerSecond: > 0 } ? (a.PerSecond / c.PerSecond).ToString("F3", Inv) : "–").Append(" | ")
                .Append(Percentiles(a)).Append(" | ").Append(c is null ? "–" : Percentiles(c)).Append(" | ")
                .Append(Times(a.Percentile(99), c?.Percentile(99))).Append(" | ")
                .Append(Ms(a.Cpu?.AppMs)).Append(" | ")
                .Append(Ms(a.Cpu?.DatabaseMs)).Append(" / ").Append(Ms(c?.Cpu?.DatabaseMs)).Append(" | ")
                .Append(Times(a.Cpu?.DatabaseMs, c?.Cpu?.DatabaseMs)).AppendLine(" |");
        }

        sb.AppendLine();
    }

    private static string Percentiles(PhaseResult p) =>
        $"{Ms(p.Percentile(50))} / {Ms(p.Percentile(95))} / {Ms(p.Percentile(99))}";

    private static string Times(double? app, double? ceiling) =>
        app is { } a && ceiling is > 0 ? (a / ceiling.Value).ToString("F1", Inv) + "×" : "–";

    private static string Ms(double? ms) => ms is { } v ? v.ToString(v < 10 ? "F2" : "F1", Inv) : "–";
}
