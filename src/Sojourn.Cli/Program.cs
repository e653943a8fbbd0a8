using System.CommandLine;
using System.Text;
using Sojourn.Cli.Commands;

// `sojourn`: one command group per file under Commands/ (policy now; registration, audit … later).
Console.OutputEncoding = Encoding.UTF8;
var root = new RootCommand("sojourn — 流动人口服务管理平台命令行");
root.Subcommands.Add(PolicyCommands.Create(TimeProvider.System));
root.Subcommands.Add(PermitCommands.Create(TimeProvider.System));
return root.Parse(args).Invoke();
