using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application;
using Sojourn.Application.Actors;
using Sojourn.Application.Permits;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Audit;
using Sojourn.Data.Security;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn permit sweep</c>: the daily sweep (SweepPermitsUseCase) in process, as the web endpoint and the hosted
/// service run it, as the system actor "cli", with the same registrations (AddSojournData, AddSojournApplication,
/// AddPermitUseCases), so the same event handlers write the history rows and revoke or suspend e-permit credentials.
/// The personal data the sweep declares is audited in the sweep's own transaction: both commit or neither does.
/// </summary>
internal static class SweepCommand
{
    /// <summary>The operation name in the audit, as the web endpoint's.</summary>
    /// <summary>The CLI as the actor: the system's reach, named <c>system:cli</c> in audit entries and history.</summary>
    private static readonly ActorIdentity CliActor = new("system:cli", "cli", "system", "", Sojourn.Data.Access.ActorScope.System);

    public const string Operation = "SweepPermits";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="configuration">
    /// The settings the web host reads (Sojourn:Crypto:…, Sojourn:TimeZone, Sojourn:EPermit:…); by default the
    /// environment (<c>Sojourn__Crypto__Sm4Key</c>, <c>Sojourn__Crypto__HmacKey</c>, …). Tests pass their own.
    /// </param>
    public static Command Create(TimeProvider time, TextWriter stdout, IConfiguration? configuration)
    {
        var database = new DatabaseOptions();
        var json = new Option<bool>("--json") { Description = "以 JSON 输出核查结果（SweepResult）" };
        var cmd = new Command("sweep", "居住证日常核查（与网页端、后台任务同一用例）：逾期未签注中止或废止、有效期满失效、离境逾期未返注销") { json };
        database.AddTo(cmd);
        cmd.SetAction(async (r, ct) =>
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
            await using var services = Services(settings, time);
            await using var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(CliActor);
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();

            // The permits' saves join this transaction; the audit entries commit with them or not at all.
            await using var transaction = await AuditTransaction.BeginAsync(db, ct);
            var outcome = await scope.ServiceProvider.GetRequiredService<SweepPermitsUseCase>()
                .HandleAsync(scope.ServiceProvider.GetRequiredService<CurrentActor>(), ct);
            if (!outcome.TryGetValue(out var result, out var failure))
            {
                // Nothing is kept (rolled back); the sweep is idempotent, so the next run does it all.
                throw new CliException($"核查未完成，未作任何更改：{failure.Detail ?? failure.Title}", CliHost.Verdict);
            }

            var ledger = scope.ServiceProvider.GetRequiredService<PersonalDataLedger>();
            await transaction.AppendAsync(Application.Audit.LedgerEntries.From(CliActor, Operation, ledger, time.GetUtcNow().UtcDateTime), ct);
            await transaction.CommitAsync(ct);

            if (r.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(result, Json));
            }
            else
            {
                var departures = result.Other.TryGetValue(SweepPermitsUseCase.DeparturesCancelled, out var n) ? n : 0;
                stdout.WriteLine($"截至 {result.AsOf:yyyy-MM-dd}：中止 {result.Suspended} 张，废止 {result.Voided} 张，失效 {result.Expired} 张，离境逾期未返注销 {departures} 张。");
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>The web host's registrations for the sweep, with the CLI's clock and the configured keys.</summary>
    internal static ServiceProvider Services(IConfiguration settings, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(settings);
        services.AddSingleton(time);
        services.AddSingleton<ILegalClock>(new LegalClock(time, LegalClock.Resolve(settings["Sojourn:TimeZone"] ?? "Asia/Shanghai")));
        services.AddLogging();
        IdentityProtector protector;
        try
        {
            protector = ProtectorConfiguration.FromConfiguration(settings);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new CliException("缺少或无效的密钥：请设置环境变量 Sojourn__Crypto__Sm4Key（32位十六进制）和 Sojourn__Crypto__HmacKey，与网页端相同。", CliHost.UsageError, e);
        }

        services.AddSingleton(protector);
        services.AddSojournData(settings, Path.Combine("data", "sojourn.db"));
        services.AddSojournApplication();
        services.AddPermitUseCases();
        Application.Compliance.ComplianceServiceCollectionExtensions.AddComplianceUseCases(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>One entry per person and declared use, by the system actor "cli" (as AuditRecorder writes a request's).</summary>
}
