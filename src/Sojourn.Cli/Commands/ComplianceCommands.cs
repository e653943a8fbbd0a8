using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Actors;
using Sojourn.Application.Compliance;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Audit;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn compliance sweep</c>: the compliance sweep (ComplianceSweepUseCase) in process, as the web endpoint and the
/// nightly job run it, as the system actor "cli"; what it declares is audited in its own transaction (as
/// <c>sojourn permit sweep</c>).
/// </summary>
internal static class ComplianceCommands
{
    public const string Operation = "SweepCompliance";

    private static readonly ActorIdentity CliActor = new("system:cli", "cli", "system", "", Sojourn.Data.Access.ActorScope.System);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(TimeProvider time, TextWriter? stdout = null, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var output = stdout ?? Console.Out;
        var compliance = new Command("compliance", "合规核查与案件");
        var database = new DatabaseOptions();
        var json = new Option<bool>("--json") { Description = "以 JSON 输出核查结果" };
        var sweep = new Command("sweep", "合规核查（与网页端、后台任务同一用例）：对逾期未申报居住登记、逾期申报、逾期未签注等立案，改正期限届满未改正的移送决定") { json };
        database.AddTo(sweep);
        sweep.SetAction(async (r, ct) =>
        {
            var (provider, connection) = database.Resolve(r);
            var settings = new ConfigurationBuilder()
                .AddConfiguration(configuration ?? new ConfigurationBuilder().AddEnvironmentVariables().Build())
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sojourn:Database:Provider"] = provider,
                    ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = connection,
                })
                .Build();
            await using var services = SweepCommand.Services(settings, time);
            await using var scope = services.CreateAsyncScope();
            var actor = scope.ServiceProvider.GetRequiredService<CurrentActor>();
            actor.Set(CliActor);
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            await using var transaction = await AuditTransaction.BeginAsync(db, ct);
            var outcome = await scope.ServiceProvider.GetRequiredService<ComplianceSweepUseCase>().HandleAsync(actor, ct);
            if (!outcome.TryGetValue(out var result, out var failure))
            {
                throw new CliException($"核查未完成，未作任何更改：{failure.Detail ?? failure.Title}", CliHost.Verdict);
            }

            var ledger = scope.ServiceProvider.GetRequiredService<PersonalDataLedger>();
            await transaction.AppendAsync(Application.Audit.LedgerEntries.From(CliActor, Operation, ledger, time.GetUtcNow().UtcDateTime), ct);
            await transaction.CommitAsync(ct);
            output.WriteLine(r.GetValue(json)
                ? JsonSerializer.Serialize(result, Json)
                : $"截至 {result.AsOf:yyyy-MM-dd}：立案 {result.Opened} 件，按期改正结案 {result.Corrected} 件，逾期未改正移送决定 {result.Escalated} 件。");
            return 0;
        });
        compliance.Subcommands.Add(sweep);
        return compliance;
    }
}
