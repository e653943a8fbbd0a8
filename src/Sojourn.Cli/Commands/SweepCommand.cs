using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Permits;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn permit sweep</c>: the daily sweep (SweepPermitsUseCase) in process, as the web endpoint and the hosted
/// service run it, as the system actor "cli", with the same registrations (<see cref="SystemSweep"/>), so the same event
/// handlers write the history rows and revoke or suspend e-permit credentials. The personal data the sweep declares is
/// audited in the sweep's own transaction: both commit or neither does.
/// </summary>
internal static class SweepCommand
{
    /// <summary>The operation name in the audit, as the web endpoint's.</summary>
    public const string Operation = "SweepPermits";

    public static Command Create(TimeProvider time, TextWriter stdout, IConfiguration? configuration) =>
        SystemSweep.Create(
            "居住证日常核查（与网页端、后台任务同一用例）：逾期未签注中止或废止、有效期满失效、离境逾期未返注销",
            "以 JSON 输出核查结果（SweepResult）",
            Operation, time, stdout, configuration,
            (services, actor, ct) => services.GetRequiredService<SweepPermitsUseCase>().HandleAsync(actor, ct),
            result =>
            {
                var departures = result.Other.TryGetValue(SweepPermitsUseCase.DeparturesCancelled, out var n) ? n : 0;
                return $"截至 {result.AsOf:yyyy-MM-dd}：中止 {result.Suspended} 张，废止 {result.Voided} 张，失效 {result.Expired} 张，离境逾期未返注销 {departures} 张。";
            });
}
