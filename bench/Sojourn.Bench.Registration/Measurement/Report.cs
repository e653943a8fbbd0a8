using System.Globalization;
using System.Text;
using Sojourn.Bench.Registration.Infrastructure;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>The results table (Markdown, readable on a terminal too).</summary>
public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Build(
        IReadOnlyList<(string Key, string Value)> environment, IReadOnlyList<PhaseResult> phases, AuditVerification? audit)
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
        Floor(sb, phases);
        Nodes(sb, phases);
        Audit(sb, audit);
        Targets(sb, phases, audit);
        return sb.ToString();
    }

    // The HTTP floor between the ceilings and the app: what HTTP alone costs here, and what the app adds to it.
    private static void Floor(StringBuilder sb, IReadOnlyList<PhaseResult> phases)
    {
        if (!phases.Any(p => p.Kind is PhaseKind.FloorPost or PhaseKind.FloorGet))
        {
            return;
        }

        sb.AppendLine("## HTTP 下限 / The HTTP floor").AppendLine();
        sb.AppendLine(Inv, $"The same requests, from the same client, to a minimal ASP.NET Core process (its own process, workstation GC, like the app) that runs the ceilings' SQL: POST reads the JSON body, encrypts and hashes the identity number as the app does and runs the raw INSERT; GET runs the bare SELECT and writes the row as JSON. No sign-in, validation, audit or field view. CPU ms/op is the whole machine's (load generator + app or floor + PostgreSQL): with every process on the same 2 cores, a rate can be no higher than {Environment.ProcessorCount * 1000:N0} ÷ that figure. Cores busy = the app's rate × its CPU ms/op ÷ 1,000: near {Environment.ProcessorCount}, the machine was saturated and only less work per request (not more processes) can raise the rate.").AppendLine();
        sb.AppendLine("| 请求 Request | c | ceiling/s | floor/s | floor ÷ ceiling | app/s (apps=1) | app ÷ floor | app ÷ ceiling | CPU ms/op ceiling / floor / app | cores busy (app) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, floorKind, ceilingKind, appKind) in new[]
                 {
                     ("POST / INSERT", PhaseKind.FloorPost, PhaseKind.Insert, PhaseKind.Post),
                     ("GET / SELECT", PhaseKind.FloorGet, PhaseKind.Select, PhaseKind.Get),
                 })
        {
            foreach (var f in phases.Where(p => p.Kind == floorKind))
            {
                var c = phases.FirstOrDefault(p => p.Kind == ceilingKind && p.Concurrency == f.Concurrency);
                var a = phases.FirstOrDefault(p => p.Kind == appKind && p.Apps == 1 && p.Concurrency == f.Concurrency);
                sb.Append(Inv, $"| {name} | {f.Concurrency} | {Rate(c)} | {Rate(f)} | {Over(f, c)} | {Rate(a)} | {Over(a, f)} | {Over(a, c)} | ")
                    .Append(Ms(Total(c))).Append(" / ").Append(Ms(Total(f))).Append(" / ").Append(Ms(Total(a))).Append(" | ").Append(Busy(a)).AppendLine(" |");
            }
        }

        sb.AppendLine();

        static string Rate(PhaseResult? p) => p is null ? "–" : p.PerSecond.ToString("F0", Inv);
        static string Over(PhaseResult? x, PhaseResult? y) => x is not null && y is { PerSecond: > 0 } ? (x.PerSecond / y.PerSecond).ToString("F3", Inv) : "–";
    }

    // CPU of the whole machine per operation: load generator + app (or floor) + PostgreSQL.
    private static double? Total(PhaseResult? p) => p?.Cpu is { } cpu ? cpu.BenchMs + (cpu.AppMs ?? 0) + (cpu.DatabaseMs ?? 0) : null;

    // Cores the phase kept busy (rate × CPU per operation).
    private static string Busy(PhaseResult? p) => p is not null && Total(p) is { } t ? (p.PerSecond * t / 1000).ToString("F2", Inv) : "–";

    // Throughput with more app processes against the one database, at each concurrency.
    private static void Nodes(StringBuilder sb, IReadOnlyList<PhaseResult> phases)
    {
        var counts = phases.Where(p => p.Apps > 0).Select(p => p.Apps).Distinct().Order().ToArray();
        if (counts.Length < 2)
        {
            return;
        }

        sb.AppendLine("## 多个应用进程 / More app processes, one PostgreSQL").AppendLine();
        sb.AppendLine(Inv, $"× = throughput with apps={counts[^1]} ÷ with apps={counts[0]} (above 1: it rises). The clients are spread round-robin over the processes; app CPU is summed over them. Cores busy: the whole machine's CPU (load generator, apps, PostgreSQL) over the phase, of {Environment.ProcessorCount}.").AppendLine();
        sb.Append("| 请求 Request | c |").AppendJoin("", counts.Select(n => $" apps={n}/s | app CPU ms/op apps={n} | cores busy apps={n} |")).AppendLine(" × |");
        sb.Append("|---|---:|").AppendJoin("", counts.Select(_ => "---:|---:|---:|")).AppendLine("---:|");
        foreach (var kind in new[] { PhaseKind.Post, PhaseKind.Get })
        {
            foreach (var c in phases.Where(p => p.Kind == kind).Select(p => p.Concurrency).Distinct())
            {
                var row = counts.Select(n => phases.FirstOrDefault(p => p.Kind == kind && p.Concurrency == c && p.Apps == n)).ToArray();
                sb.Append(Inv, $"| {(kind == PhaseKind.Post ? "POST" : "GET")} | {c} |");
                foreach (var p in row)
                {
                    sb.Append(' ').Append(p is null ? "–" : p.PerSecond.ToString("F0", Inv)).Append(" | ").Append(Ms(p?.Cpu?.AppMs)).Append(" | ").Append(Busy(p)).Append(" |");
                }

                sb.Append(' ').Append(row[0] is { PerSecond: > 0 } first && row[^1] is { } last ? (last.PerSecond / first.PerSecond).ToString("F2", Inv) : "–").AppendLine(" |");
            }
        }

        sb.AppendLine();
    }

    private static void Audit(StringBuilder sb, AuditVerification? audit)
    {
        sb.AppendLine("## 审计校验 / Audit verification").AppendLine();
        if (audit is null)
        {
            sb.AppendLine("Not run (the load phases did not complete).").AppendLine();
            return;
        }

        sb.AppendLine(Inv, $"`{audit.Command}` against the benchmark's database, with the settings every app node had, after the load: **{(audit.Passed ? "通过 passed" : "未通过 FAILED")}**, exit {AuditVerifier.Describe(audit.ExitCode)}, {audit.Attempts} attempt(s) over {audit.Seconds:F1} s (retried for up to 30 s while entries may still be sealed).")
            .AppendLine().AppendLine("```").AppendLine(audit.Output).AppendLine("```").AppendLine();
    }

    // Issue 12's targets, where this run measured them (apps=1 for the ratios).
    private static void Targets(StringBuilder sb, IReadOnlyList<PhaseResult> phases, AuditVerification? audit)
    {
        var rows = new List<(string Target, string Measured, bool? Met)>();
        PhaseResult? Find(PhaseKind kind, int apps, int c) => phases.FirstOrDefault(p => p.Kind == kind && p.Apps == apps && p.Concurrency == c);
        void Ratio(string target, PhaseKind app, PhaseKind ceiling, double least, int c)
        {
            if (Find(app, 1, c) is { } a && phases.FirstOrDefault(p => p.Kind == ceiling && p.Concurrency == c) is { PerSecond: > 0 } x)
            {
                var r = a.PerSecond / x.PerSecond;
                rows.Add((target, r.ToString("F3", Inv), r >= least));
            }
        }

        void P99(string target, PhaseKind app, double most, int c)
        {
            if (Find(app, 1, c)?.Percentile(99) is { } p99)
            {
                rows.Add((target, Ms(p99) + " ms", p99 <= most));
            }
        }

        Ratio("POST ≥ 0.5 × raw INSERT (c=8)", PhaseKind.Post, PhaseKind.Insert, 0.5, 8);
        P99("POST p99 ≤ 50 ms (c=8)", PhaseKind.Post, 50, 8);
        Ratio("GET ≥ 0.15 × bare SELECT (c=8)", PhaseKind.Get, PhaseKind.Select, 0.15, 8);
        P99("GET p99 ≤ 25 ms (c=8)", PhaseKind.Get, 25, 8);
        foreach (var kind in new[] { PhaseKind.Post, PhaseKind.Get })
        {
            foreach (var two in phases.Where(p => p.Kind == kind && p.Apps == 2))
            {
                if (Find(kind, 1, two.Concurrency) is { PerSecond: > 0 } one)
                {
                    rows.Add(($"{(kind == PhaseKind.Post ? "POST" : "GET")} apps=2 > apps=1 (c={two.Concurrency})",
                        $"{two.PerSecond:F0} vs {one.PerSecond:F0}/s", two.PerSecond > one.PerSecond));
                }
            }
        }

        if (audit is not null)
        {
            rows.Add(("sojourn audit verify passes", audit.Passed ? "passed" : "failed", audit.Passed));
        }

        if (rows.Count == 0)
        {
            return;
        }

        sb.AppendLine("## 议题 12 目标 / Issue 12 targets").AppendLine();
        sb.AppendLine("| 目标 Target | 实测 Measured | 达到 Met |");
        sb.AppendLine("|---|---:|---|");
        foreach (var (target, measured, met) in rows)
        {
            sb.Append(Inv, $"| {target} | {measured} | {(met switch { true => "是 yes", false => "否 no", null => "–" })} |").AppendLine();
        }

        sb.AppendLine();
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
