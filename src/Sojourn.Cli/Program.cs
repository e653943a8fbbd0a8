using System.CommandLine;
using System.Text;
using Sojourn.Cli.Commands;

// `sojourn`: one command group per file under Commands/ (policy now; registration, audit … later).
Console.OutputEncoding = Encoding.UTF8;
var root = new RootCommand("sojourn — 流动人口服务管理平台命令行");
root.Subcommands.Add(PolicyCommands.Create(TimeProvider.System));
root.Subcommands.Add(PermitCommands.Create(TimeProvider.System));
root.Subcommands.Add(AuditCommands.Create());
root.Subcommands.Add(KeyCommands.Create());
try
{
    return root.Parse(args).Invoke();
}
catch (Exception e) when (e.InnerException is Sojourn.Rules.Loading.PolicyLoadException || e is Sojourn.Rules.Loading.PolicyLoadException)
{
    // A malformed policy file: say which file, line and key, not a stack trace.
    Console.Error.WriteLine($"政策文件有误：{(e as Sojourn.Rules.Loading.PolicyLoadException ?? (Sojourn.Rules.Loading.PolicyLoadException)e.InnerException!).Message}");
    return 1;
}
