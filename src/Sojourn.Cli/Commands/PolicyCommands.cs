using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Loading;

namespace Sojourn.Cli.Commands;

/// <summary><c>sojourn policy …</c>: list, show, diff, evaluate, impact.</summary>
internal static class PolicyCommands
{
    public static Command Create(TimeProvider time)
    {
        var policy = new Command("policy", "政策（规则即数据）：列出、查看、比较、评估、影响分析");
        policy.Subcommands.Add(List());
        policy.Subcommands.Add(Show());
        policy.Subcommands.Add(Diff());
        policy.Subcommands.Add(Evaluate(time));
        policy.Subcommands.Add(Impact(time));
        return policy;
    }

    private static Command List()
    {
        var cmd = new Command("list", "列出全部政策：id、标题、适用区域、施行期间");
        cmd.SetAction(_ =>
        {
            foreach (var p in PolicyCatalog.Default.Policies.OrderBy(p => p.Id, StringComparer.Ordinal))
            {
                var territory = p.Nationwide ? "全国" : string.Join(",", p.Territory);
                var until = p.InForceUntil is { } u ? D(u) : "";
                var number = p.DocumentNumber is null ? "" : $"（{p.DocumentNumber}）";
                Console.WriteLine($"{p.Id,-18} {territory,-8} {D(p.InForceFrom)} – {until,-10}  {p.Title}{number}");
            }

            return 0;
        });
        return cmd;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "政策 id，如 shanxi-2017" };
        var cmd = new Command("show", "以表格显示政策的每一项取值及其条款（含继承自上位政策的取值）") { id };
        cmd.SetAction(r =>
        {
            var doc = PolicyCatalog.Default.Find(r.GetValue(id)!)
                ?? throw new CliException($"未知的政策：{r.GetValue(id)}（sojourn policy list 列出全部政策）");

            var compiled = PolicyCatalog.Default.Compile(doc.Id);
            Console.WriteLine($"{doc.Title}（{doc.DocumentNumber}）");
            Console.WriteLine($"发布机关：{doc.Authority}　适用区域：{(doc.Nationwide ? "全国" : string.Join(",", doc.Territory))}　施行：{D(doc.InForceFrom)} 至 {(doc.InForceUntil is { } u ? D(u) : "今")}");
            Console.WriteLine($"上位政策：{doc.Parent ?? "无"}　层次：{string.Join(" > ", compiled.Ids)}　{doc.Hash}");
            Console.WriteLine();
            Console.WriteLine($"{"项目",-40}  {"取值",-50}  依据");
            foreach (var row in PolicyTable.Rows(compiled))
            {
                Console.WriteLine($"{row.Label,-40}  {row.Value,-50}  {row.Basis}");
            }

            if (doc.Decisions.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("解释选择：");
                foreach (var d in doc.Decisions)
                {
                    Console.WriteLine($"- {d.Key}: {d.Choice} —— {d.Reason}");
                }
            }

            return 0;
        });
        return cmd;
    }

    private static Command Diff()
    {
        var a = new Argument<string>("a") { Description = "政策 id" };
        var b = new Argument<string>("b") { Description = "政策 id" };
        var cmd = new Command("diff", "比较两个政策（含继承取值）的每一项") { a, b };
        cmd.SetAction(r =>
        {
            var (ida, idb) = (r.GetValue(a)!, r.GetValue(b)!);
            foreach (var id in new[] { ida, idb })
            {
                if (PolicyCatalog.Default.Find(id) is null)
                {
                    throw new CliException($"未知的政策：{id}（sojourn policy list 列出全部政策）");
                }
            }

            var comparison = PolicyBrowser.Default.Diff(ida, idb)!;
            foreach (var d in comparison.Differences)
            {
                Console.WriteLine(d.Key);
                Console.WriteLine($"  - {ida}: {(d.A is null ? "（未规定）" : $"{d.A.Value}  [{d.A.Basis}]")}");
                Console.WriteLine($"  + {idb}: {(d.B is null ? "（未规定）" : $"{d.B.Value}  [{d.B.Basis}]")}");
            }

            var differences = comparison.Differences.Count;
            Console.WriteLine($"共 {differences} 项不同。");
            return 0;
        });
        return cmd;
    }

    private static Command Evaluate(TimeProvider time)
    {
        var file = new Argument<string>("file") { Description = "案例 JSON 文件（单个案例或数组）；- 表示标准输入" };
        var cmd = new Command("evaluate", "按 docs/policy-evaluation.md 评估案例；全部成功返回 0，有案例被拒绝返回 2") { file };
        cmd.SetAction(r =>
        {
            using var doc = ReadJson(r.GetValue(file)!, out var error);
            if (doc is null)
            {
                WriteError(new CaseError(error!, ""));
                return 2;
            }

            var service = new PolicyService(Evaluator.Default, time);
            using var stdout = Console.OpenStandardOutput();
            using var w = new Utf8JsonWriter(stdout, ResultWriter.Options);
            var rejected = service.EvaluateDocument(doc.RootElement, w);
            stdout.Write("\n"u8);
            return Rejected(rejected);
        });
        return cmd;
    }

    private static Command Impact(TimeProvider time)
    {
        var from = new Option<string>("--from") { Description = "原政策 id", Required = true };
        var to = new Option<string>("--to") { Description = "新政策 id", Required = true };
        var cases = new Argument<string?>("cases") { Description = "案例 JSON 数组文件；- 表示标准输入", Arity = ArgumentArity.ZeroOrOne };
        var examples = new Option<int>("--examples") { Description = "每类变化列出的示例数", DefaultValueFactory = _ => 3 };
        var fromDatabase = new Option<bool>("--database") { Description = "以数据库中全部在住人员（未注销的居住登记）为案例" };
        var asOf = new Option<string?>("--as-of") { Description = "与 --database 同用：评估日期 YYYY-MM-DD（默认今天）" };
        var database = new DatabaseOptions();
        var cmd = new Command("impact", "在两个政策下评估同一批案例（文件或数据库中的在住人口），统计流动人口认定、居住证资格、期限和罚则的变化")
        {
            from, to, cases, examples, fromDatabase, asOf,
        };
        database.AddTo(cmd);
        cmd.SetAction(async (r, ct) =>
        {
            string? error = null;
            JsonDocument? loaded;
            try
            {
                loaded = r.GetValue(fromDatabase)
                    ? await ReadPopulationAsync(r, database, r.GetValue(asOf), time, ct)
                    : r.GetValue(cases) is { } path ? ReadJson(path, out error) : null;
            }
            catch (Exception e) when (CliHost.IsDatabaseError(e))
            {
                WriteError(new CaseError(CliHost.Describe(e).Message, "database"));
                return 2;
            }

            using var doc = loaded;
            if (doc is null)
            {
                WriteError(r.GetValue(fromDatabase)
                    ? new CaseError("--as-of 的日期格式应为 YYYY-MM-DD", "asOf")
                    : new CaseError(error ?? "请给出案例文件，或用 --database 评估数据库中的在住人口", ""));
                return 2;
            }

            var report = PolicyImpact.Run(Evaluator.Default, time, r.GetValue(from)!, r.GetValue(to)!, doc.RootElement, r.GetValue(examples));
            using var stdout = Console.OpenStandardOutput();
            using var w = new Utf8JsonWriter(stdout, ResultWriter.Options);
            report.Write(w);
            w.Flush();
            stdout.Write("\n"u8);
            return Rejected(report.Rejected);
        });
        return cmd;
    }

    private static async Task<JsonDocument?> ReadPopulationAsync(
        ParseResult r, DatabaseOptions database, string? asOf, TimeProvider time, CancellationToken ct)
    {
        var day = asOf is null ? PopulationCases.Today(time) : CliInput.Date(asOf, "--as-of");

        await using var db = database.Open(r);
        return await PopulationCases.ReadAsync(db, day, ct);
    }

    private static JsonDocument? ReadJson(string path, out string? error)
    {
        error = null;
        try
        {
            var text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
            return JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            error = $"输入不是有效的 JSON（第 {(e.LineNumber ?? 0) + 1} 行）：{e.Message}";
        }
        catch (FileNotFoundException)
        {
            error = $"找不到输入文件：{path}";
        }
        catch (DirectoryNotFoundException)
        {
            error = $"找不到输入文件：{path}（目录不存在）";
        }
        catch (IOException e)
        {
            error = $"无法读取输入：{e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            error = $"无法读取输入：{e.Message}";
        }

        return null;
    }

    /// <summary>Exit code 2 when any case was rejected (docs/policy-evaluation.md), said in one line on stderr too.</summary>
    private static int Rejected(int rejected)
    {
        if (rejected == 0)
        {
            return 0;
        }

        Console.Error.WriteLine($"错误：{rejected} 个案例被拒绝（原因和字段见输出中的 error）。");
        return CliHost.UsageError;
    }

    /// <summary>The contract's <c>{"error": …}</c> on stdout, and the same message as one line on stderr.</summary>
    private static void WriteError(CaseError e)
    {
        Console.Error.WriteLine("错误：" + e.Message.ReplaceLineEndings(" "));
        using var stdout = Console.OpenStandardOutput();
        using var w = new Utf8JsonWriter(stdout, ResultWriter.Options);
        ResultWriter.WriteError(w, e);
        w.Flush();
        stdout.Write("\n"u8);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
