using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.Compliance;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Compliance;

/// <summary><c>Sojourn:Compliance:Sweep</c>: how often the nightly job runs in the web host (0 = off, the default).</summary>
internal sealed class ComplianceSweepOptions
{
    public int IntervalMinutes { get; set; }
}

internal sealed record IssueOrderRequest(int? Version, DateOnly? CorrectBy);

internal sealed record DecideCaseRequest(int? Version, string? Outcome, int? FineYuan, bool? Serious, string? Reason);

/// <summary>The compliance module: /api/v1/compliance (sweep, worklists, cases, decisions, notices).</summary>
internal static class ComplianceModule
{
    public static IServiceCollection AddCompliance(this IServiceCollection services)
    {
        services.AddComplianceUseCases();
        services.AddOptions<ComplianceSweepOptions>().BindConfiguration("Sojourn:Compliance:Sweep");
        services.AddHostedService<ComplianceSweepService>();
        return services;
    }

    public static IEndpointRouteBuilder MapCompliance(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/compliance").WithTags("违法案件 Compliance")
            .WithPersonalDataAudit(PersonalDataRoute.Compliance);
        group.MapPost("/sweep", async (HttpContext http, ComplianceSweepUseCase sweep, CurrentActor actor, CancellationToken ct) =>
                (await sweep.HandleAsync(actor, ct)).ToOk(http))
            .WithName("SweepCompliance")
            .WithSummary("合规核查：对逾期或逾期履行的义务立案（辖区内）");
        group.MapGet("/cases", async (HttpContext http, ComplianceCaseUseCases cases, CurrentActor actor, string? state, int? page, int? pageSize, CancellationToken ct) =>
                (await cases.WorklistAsync(new WorklistQuery(state, page, pageSize), actor, ct)).ToOk(http))
            .WithName("ListComplianceCases")
            .WithSummary("案件工作清单：新案件、等待改正期限、待决定、已结案");
        group.MapGet("/cases/{id:long}", async (long id, HttpContext http, ComplianceCaseUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.GetAsync(id, actor, ct)).ToOk(http, c => c.Version))
            .WithName("GetComplianceCase")
            .WithSummary("查看案件：事实、义务、法律依据、可予处罚")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/cases/{id:long}/order", async (long id, IssueOrderRequest body, HttpContext http, ComplianceCaseUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.IssueOrderAsync(new IssueOrderCommand(id, EntityTags.ExpectedVersion(http, body.Version), body.CorrectBy), actor, ct)).ToOk(http, c => c.Version))
            .WithName("IssueCorrectionOrder")
            .WithSummary("责令限期改正")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/cases/{id:long}/decision", async (long id, DecideCaseRequest body, HttpContext http, ComplianceCaseUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.DecideAsync(new DecideCaseCommand(id, EntityTags.ExpectedVersion(http, body.Version), body.Outcome, body.FineYuan, body.Serious == true, body.Reason), actor, ct))
                    .ToOk(http, c => c.Version))
            .WithName("DecideComplianceCase")
            .WithSummary("作出决定：警告、罚款（法定幅度内）或不予处罚（说明理由）")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/cases/{id:long}/documents/correction-order", async (long id, ComplianceCaseUseCases cases, CurrentActor actor, PdfRendererHolder pdf, CancellationToken ct) =>
                await Pdf(cases.CorrectionOrderAsync(id, actor, ct), pdf, $"correction-order-{id}.pdf"))
            .WithName("GetCorrectionOrderPdf")
            .WithSummary("责令改正通知书（PDF）")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        group.MapGet("/cases/{id:long}/documents/penalty-decision", async (long id, ComplianceCaseUseCases cases, CurrentActor actor, PdfRendererHolder pdf, CancellationToken ct) =>
                await Pdf(cases.PenaltyDecisionAsync(id, actor, ct), pdf, $"penalty-decision-{id}.pdf"))
            .WithName("GetPenaltyDecisionPdf")
            .WithSummary("行政处罚决定书（PDF）")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(
        Task<Outcome<Documents.OfficialDocument>> document, PdfRendererHolder pdf, string fileName)
    {
        var outcome = await document;
        return outcome.TryGetValue(out var d, out var failure) ? pdf.Render(d, fileName) : ApiProblems.Result(failure);
    }
}

/// <summary>Runs the compliance sweep every <see cref="ComplianceSweepOptions.IntervalMinutes"/> (off when 0, as in tests).</summary>
internal sealed partial class ComplianceSweepService(IServiceScopeFactory scopes, IOptions<ComplianceSweepOptions> options, ILogger<ComplianceSweepService> logger)
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
                var outcome = await Access.Audit.AuditedJob.RunAsync(scopes, "SweepCompliance",
                    (services, actor, ct) => services.GetRequiredService<ComplianceSweepUseCase>().HandleAsync(actor, ct), stoppingToken);
                if (outcome.TryGetValue(out var result, out _))
                {
                    LogSwept(result.AsOf, result.Opened, result.Corrected, result.Escalated);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compliance sweep as of {AsOf}: {Opened} opened, {Corrected} corrected, {Escalated} escalated")]
    private partial void LogSwept(DateOnly asOf, int opened, int corrected, int escalated);

    [LoggerMessage(Level = LogLevel.Error, Message = "Compliance sweep failed")]
    private partial void LogFailed(Exception e);
}
