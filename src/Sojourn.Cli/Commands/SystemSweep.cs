using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application;
using Sojourn.Application.Actors;
using Sojourn.Application.Audit;
using Sojourn.Application.Errors;
using Sojourn.Application.Permits;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Security;

namespace Sojourn.Cli.Commands;

/// <summary>
/// What every sweep command shares (<c>sojourn permit sweep</c>, <c>sojourn compliance sweep</c>): the database options
/// and <c>--json</c>, the web host's registrations with the CLI's clock and the configured keys, the system actor "cli",
/// and one transaction in which the sweep's writes and the audit entries of what it declared commit together or not at
/// all (<see cref="AuditedOperation"/>, as the web host's jobs). A sweep command gives only its use case and its one-line
/// summary.
/// </summary>
internal static class SystemSweep
{
    /// <summary>The CLI as the actor: the system's reach, named <c>system:cli</c> in audit entries and history.</summary>
    public static readonly ActorIdentity CliActor = new("system:cli", "cli", "system", "", Sojourn.Data.Access.ActorScope.System);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="operation">The operation name in the audit, as the web endpoint's.</param>
    /// <param name="run">The use case, run as <see cref="CliActor"/> in the scope's transaction.</param>
    /// <param name="summary">The zh-CN line printed without <c>--json</c>.</param>
    /// <param name="configuration">
    /// The settings the web host reads (Sojourn:Crypto:…, Sojourn:TimeZone, Sojourn:EPermit:…); by default the
    /// environment (<c>Sojourn__Crypto__Sm4Key</c>, <c>Sojourn__Crypto__HmacKey</c>, …). Tests pass their own.
    /// </param>
    public static Command Create<TResult>(
        string description, string jsonDescription, string operation, TimeProvider time, TextWriter stdout, IConfiguration? configuration,
        Func<IServiceProvider, CurrentActor, CancellationToken, Task<Outcome<TResult>>> run, Func<TResult, string> summary)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(summary);
        var database = new DatabaseOptions();
        var json = new Option<bool>("--json") { Description = jsonDescription };
        var cmd = new Command("sweep", description) { json };
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
            // The sweep's saves and the audit entries of what it declared commit together or not at all.
            var outcome = await AuditedOperation.RunAsync(services.GetRequiredService<IServiceScopeFactory>(), CliActor, operation, run, ct);
            if (!outcome.TryGetValue(out var result, out var failure))
            {
                // Nothing is kept (rolled back); a sweep is idempotent, so the next run does it all.
                throw new CliException($"核查未完成，未作任何更改：{failure.Detail ?? failure.Title}", CliHost.Verdict);
            }

            stdout.WriteLine(r.GetValue(json) ? JsonSerializer.Serialize(result, Json) : summary(result));
            return 0;
        });
        return cmd;
    }

    /// <summary>The web host's registrations for the sweeps, with the CLI's clock and the configured keys.</summary>
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
}
