using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Compliance;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn compliance sweep</c>: the compliance sweep (ComplianceSweepUseCase) in process, as the web endpoint and the
/// nightly job run it, as the system actor "cli"; what it declares is audited in its own transaction (as
/// <c>sojourn permit sweep</c>, through the same <see cref="SystemSweep"/>).
/// </summary>
internal static class ComplianceCommands
{
    public const string Operation = "SweepCompliance";

    public static Command Create(TimeProvider time, TextWriter? stdout = null, IConfiguration? configuration = null)
    {
        var compliance = new Command("compliance", "合规核查与案件");
        compliance.Subcommands.Add(SystemSweep.Create(
            "合规核查（与网页端、后台任务同一用例）：对逾期未申报居住登记、逾期申报、逾期未签注等立案，改正期限届满未改正的移送决定",
            "以 JSON 输出核查结果",
            Operation, time, stdout ?? Console.Out, configuration,
            (services, actor, ct) => services.GetRequiredService<ComplianceSweepUseCase>().HandleAsync(actor, ct),
            result => $"截至 {result.AsOf:yyyy-MM-dd}：立案 {result.Opened} 件，按期改正结案 {result.Corrected} 件，逾期未改正移送决定 {result.Escalated} 件。"));
        return compliance;
    }
}
