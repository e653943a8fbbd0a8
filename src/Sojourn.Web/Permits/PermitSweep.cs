using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Http;

namespace Sojourn.Web.Permits;

/// <summary><c>Sojourn:Permits:Sweep</c>: how often the daily job runs in the web host (0 = off, the default).</summary>
internal sealed class PermitSweepOptions
{
    public int IntervalMinutes { get; set; }
}

/// <summary>POST /api/v1/permits/sweep: a station chief runs the day's sweep over their jurisdiction now (SweepPermitsUseCase).</summary>
internal static class PermitSweepEndpoint
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/sweep", async (HttpContext http, SweepPermitsUseCase sweep, CurrentActor actor, CancellationToken ct) =>
                (await sweep.HandleAsync(actor, ct)).ToOk(http))
            .WithName("SweepPermits")
            .WithSummary("居住证日常核查：逾期未签注中止或废止、有效期满失效")
            .ProducesProblem(StatusCodes.Status409Conflict);
}

/// <summary>Runs the sweep every <see cref="PermitSweepOptions.IntervalMinutes"/> (off when 0, as in tests).</summary>
internal sealed partial class PermitSweepService(IServiceScopeFactory scopes, IOptions<PermitSweepOptions> options, ILogger<PermitSweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IntervalMinutes <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinutes));
        do
        {
            try
            {
                var outcome = await AuditedJob.RunAsync(scopes, "SweepPermits",
                    (services, actor, ct) => services.GetRequiredService<SweepPermitsUseCase>().HandleAsync(actor, ct), stoppingToken);
                if (outcome.TryGetValue(out var result, out var failure))
                {
                    LogSwept(result.AsOf, result.Suspended, result.Voided, result.Expired);
                }
                else
                {
                    // A concurrent step changed a permit; the next run picks it up (the sweep is idempotent).
                    LogConflict(failure.Detail);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Permit sweep as of {AsOf}: {Suspended} suspended, {Voided} void, {Expired} expired")]
    private partial void LogSwept(DateOnly asOf, int suspended, int voided, int expired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Permit sweep stopped by a concurrent change: {Detail}")]
    private partial void LogConflict(string? detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Permit sweep failed")]
    private partial void LogFailed(Exception e);
}
