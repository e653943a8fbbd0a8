using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sojourn.Cli.Commands;
using Sojourn.Rules.Loading;

namespace Sojourn.Cli;

/// <summary>
/// Runs <c>sojourn</c>: parses, invokes, and turns every failure into one zh-CN line on standard error,
/// <c>错误：…</c>, with a non-zero exit code. Exit codes (docs in README): 0 done; 1 a negative verdict
/// (credential not valid, audit chain tampered, a policy file in error); 2 bad usage or input (arguments,
/// files, key files, JSON, dates, database unreachable; and, as docs/policy-evaluation.md says, a rejected
/// case); 3 an internal error. <c>SOJOURN_VERBOSE=1</c> adds the exception's details after the line.
/// </summary>
public static partial class CliHost
{
    public const int Verdict = 1;
    public const int UsageError = 2;
    public const int InternalError = 3;
    public const string VerboseVariable = "SOJOURN_VERBOSE";

    public static RootCommand Root(TimeProvider time)
    {
        var root = new RootCommand("sojourn — 流动人口服务管理平台命令行");
        root.Subcommands.Add(PolicyCommands.Create(time));
        root.Subcommands.Add(PermitCommands.Create(time));
        root.Subcommands.Add(ComplianceCommands.Create(time));
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(KeyCommands.Create());
        return root;
    }

    public static int Run(string[] args, TimeProvider time, TextWriter stderr) => Run(Root(time), args, stderr);

    /// <summary>Runs <paramref name="root"/> (tests pass one with their own writers and clock).</summary>
    public static int Run(RootCommand root, string[] args, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(stderr);

        // System.CommandLine ships zh-Hans messages for its own parse errors and help.
        CultureInfo.CurrentUICulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                // A few of System.CommandLine's messages have no zh-Hans text (a value of the wrong type).
                var messages = string.Join("；", parsed.Errors.Select(e => (HasChinese(e.Message) ? "" : "参数无效：") + e.Message.TrimEnd('.', '。')));
                return Fail(stderr, $"{messages}。用 --help 查看用法。", UsageError, null);
            }

            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var (message, code) = Describe(e);
            return Fail(stderr, message, code, e);
        }
    }

    /// <summary>The zh-CN line and exit code for an exception that reached the top.</summary>
    public static (string Message, int ExitCode) Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            e = aggregate.InnerExceptions[0];
        }

        if (e is CliException cli)
        {
            return (cli.Message, cli.ExitCode);
        }

        if (Find<PolicyLoadException>(e) is { } policy)
        {
            return ($"政策文件有误：{policy.Message}", Verdict);
        }

        if (Find<DbException>(e) is { } db)
        {
            return ($"数据库不可用或尚未迁移：{db.Message}", UsageError);
        }

        return e switch
        {
            FileNotFoundException f => ($"找不到文件：{f.FileName ?? Quoted(f.Message)}", UsageError),
            DirectoryNotFoundException d => ($"找不到文件所在的目录：{Quoted(d.Message)}", UsageError),
            UnauthorizedAccessException u => ($"没有权限读写：{Quoted(u.Message)}", UsageError),
            IOException io => ($"读写文件失败：{io.Message}", UsageError),
            JsonException j => ($"JSON 格式错误（第 {(j.LineNumber ?? 0) + 1} 行）：{j.Message}", UsageError),
            ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException when HasChinese(e.Message)
                => (WithoutParameter(e.Message), UsageError),
            OperationCanceledException => ("已取消。", UsageError),
            _ => ($"内部错误（{e.GetType().Name}）：{e.Message}。设置环境变量 {VerboseVariable}=1 可查看详情。", InternalError),
        };
    }

    private static int Fail(TextWriter stderr, string message, int code, Exception? e)
    {
        stderr.WriteLine("错误：" + OneLine(message));
        if (e is not null && Environment.GetEnvironmentVariable(VerboseVariable) is "1" or "true")
        {
            stderr.WriteLine(e.ToString());
        }

        return code;
    }

    /// <summary>The database could not be reached or read (possibly wrapped by EF Core's retry strategy).</summary>
    public static bool IsDatabaseError(Exception e) => Find<DbException>(e) is not null;

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T found)
            {
                return found;
            }
        }

        return null;
    }

    internal static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    private static string OneLine(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return MultipleSpaces().Replace(sb.ToString(), " ").Trim();
    }

    private static string WithoutParameter(string message) => ParameterSuffix().Replace(message, "");

    /// <summary>The path inside a runtime message ("Could not find a part of the path '/x/y'.").</summary>
    private static string Quoted(string message) => QuotedPath().Match(message) is { Success: true } m ? m.Groups[1].Value : message;

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedPath();

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();
}
