using System.Text;
using Sojourn.Cli;

// `sojourn`: one command group per file under Commands/; CliHost turns every failure into one zh-CN line.
Console.OutputEncoding = Encoding.UTF8;
return CliHost.Run(args, TimeProvider.System, Console.Error);
