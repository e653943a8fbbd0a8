using System.Globalization;
using System.Text;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>The results table (Markdown, readable on a terminal too).</summary>
public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Build(
        IReadOnlyList<(string Key, string Value)> environment,
        PhaseResult post, PhaseResult get, PhaseResult insert, PhaseResult select, PhaseResult copy)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(insert);
        ArgumentNullException.ThrowIfNull(select);
        ArgumentNullException.ThrowIfNull(copy);
        var sb = new StringBuilder();
        sb.AppendLine("# 居住登记提交基准 / Registration submission benchmark").AppendLine();
        foreach (var (key, value) in environment)
        {
            sb.Append("- ").Append(key).Append(": ").AppendLine(value);
        }

        sb.AppendLine().AppendLine("## 各阶段 / Phases").AppendLine();
        sb.AppendLine("CPU columns: CPU time per operation (per registration for COPY) of the bench process (load generator or raw client), the app process and the whole PostgreSQL server; they depend less on noisy neighbours than the rates do.").AppendLine();
        sb.AppendLine("| 阶段 Phase | ok | 错误 errors | 秒 s | 每秒 per s | p50 ms | p95 ms | p99 ms | max ms | bench CPU ms/op | app CPU ms/op | PG CPU ms/op |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in new[] { post, get, insert, select, copy })
        {
            sb.Append(Inv, $"| {p.Name} | {p.Rows ?? p.Operations} | {p.Errors} | {p.Seconds:F2} | {p.PerSecond:F0} | ")
                .Append(Ms(p.Percentile(50))).Append(" | ").Append(Ms(p.Percentile(95))).Append(" | ")
                .Append(Ms(p.Percentile(99))).Append(" | ").Append(Ms(p.Percentile(100))).Append(" | ")
                .Append(Ms(p.Cpu?.BenchMs)).Append(" | ").Append(Ms(p.Cpu?.AppMs)).Append(" | ").Append(Ms(p.Cpu?.DatabaseMs)).AppendLine(" |");
        }

        sb.AppendLine().AppendLine("## 与上限之比 / Against the ceilings").AppendLine();
        sb.AppendLine("Throughput ratio = app ÷ ceiling (1.00 = as fast as raw PostgreSQL); latency ratio = app ÷ ceiling (how many times slower).").AppendLine();
        sb.AppendLine("| 指标 Figure | 应用 App (HTTP) | 上限 Ceiling | 上限值 Ceiling value | 比值 Ratio |");
        sb.AppendLine("|---|---:|---|---:|---:|");
        Throughput(sb, "提交 registrations/s", post, "raw INSERT, 1 round trip/registration", insert);
        Throughput(sb, "提交 registrations/s", post, "binary COPY, 1 connection", copy);
        foreach (var pct in new[] { 50, 95, 99 })
        {
            Latency(sb, $"提交延迟 POST p{pct} ms", post, "raw INSERT", insert, pct);
        }

        Cpu(sb, "提交 PG CPU ms/registration", post, "raw INSERT", insert);
        Cpu(sb, "提交 PG CPU ms/registration", post, "binary COPY", copy);
        Throughput(sb, "查询 GET /{id} per s", get, "SELECT by primary key", select);
        foreach (var pct in new[] { 50, 95, 99 })
        {
            Latency(sb, $"查询延迟 GET p{pct} ms", get, "SELECT by primary key", select, pct);
        }

        Cpu(sb, "查询 PG CPU ms/read", get, "SELECT by primary key", select);
        return sb.ToString();
    }

    // The database work one app request causes, against the same work done directly.
    private static void Cpu(StringBuilder sb, string label, PhaseResult app, string ceilingName, PhaseResult ceiling)
    {
        var a = app.Cpu?.DatabaseMs;
        var c = ceiling.Cpu?.DatabaseMs;
        sb.Append(Inv, $"| {label} | {Ms(a)} | {ceilingName} | {Ms(c)} | ")
            .Append(a is { } x && c is > 0 ? (x / c.Value).ToString("F1", Inv) + "×" : "–").AppendLine(" |");
    }

    private static void Throughput(StringBuilder sb, string label, PhaseResult app, string ceilingName, PhaseResult ceiling) =>
        sb.Append(Inv, $"| {label} | {app.PerSecond:F0} | {ceilingName} | {ceiling.PerSecond:F0} | ")
            .Append(ceiling.PerSecond > 0 ? (app.PerSecond / ceiling.PerSecond).ToString("F3", Inv) : "–").AppendLine(" |");

    private static void Latency(StringBuilder sb, string label, PhaseResult app, string ceilingName, PhaseResult ceiling, int pct)
    {
        var a = app.Percentile(pct);
        var c = ceiling.Percentile(pct);
        sb.Append(Inv, $"| {label} | {Ms(a)} | {ceilingName} | {Ms(c)} | ")
            .Append(a is { } x && c is > 0 ? (x / c.Value).ToString("F1", Inv) + "×" : "–").AppendLine(" |");
    }

    private static string Ms(double? ms) => ms is { } v ? v.ToString(v < 10 ? "F2" : "F1", Inv) : "–";
}
