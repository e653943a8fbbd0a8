using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Sojourn.Application.Actors;
using Sojourn.Application.Reporting;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Reporting;

/// <summary>Limits of the anonymous tip-off form and endpoint (<c>Sojourn:TipOffs</c>).</summary>
internal sealed class TipOffOptions
{
    /// <summary>Submissions per client address per hour, the endpoint and the page each.</summary>
    public int SubmissionsPerHour { get; set; } = 5;
}

/// <summary>
/// The page's limiter: a Blazor form submits over its circuit, not through the HTTP rate limiter, so the page asks
/// this one (same limit, per browser address) before it calls the use case.
/// </summary>
internal sealed class TipOffThrottle(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(ip =>
        RateLimitPartition.GetFixedWindowLimiter(ip, _ => Window(configuration)));

    public bool TryAcquire(string? ip)
    {
        using var lease = _limiter.AttemptAcquire(ip ?? "unknown");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    internal static FixedWindowRateLimiterOptions Window(IConfiguration configuration) => new()
    {
        PermitLimit = Math.Max(1, (configuration.GetSection("Sojourn:TipOffs").Get<TipOffOptions>() ?? new TipOffOptions()).SubmissionsPerHour),
        Window = TimeSpan.FromHours(1),
    };
}

/// <summary>
/// Public tip-offs (宁夏 第四十一条) and the leads they become: <c>POST /api/v1/tip-offs</c> (anonymous, rate-limited,
/// small body), <c>GET /api/v1/tip-offs/stations</c> (the published hotlines and mailboxes), and for officers and the
/// station chief of the address's jurisdiction <c>GET /api/v1/leads</c> and <c>POST /api/v1/leads/{id}/close</c>.
/// </summary>
internal static class TipOffApi
{
    public const string SubmitLimit = "tip-off";

    /// <summary>No tip-off body is larger (a description of 1,000 characters is about 3 KB of UTF-8).</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static IServiceCollection AddTipOffs(this IServiceCollection services)
    {
        services.AddScoped<TipOffUseCases>();
        services.AddSingleton<TipOffThrottle>();
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
            o.AddPolicy(SubmitLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => TipOffThrottle.Window(configuration))));
        return services;
    }

    public static IEndpointRouteBuilder MapTipOffs(this IEndpointRouteBuilder app)
    {
        // Anyone may report; nothing about the sender is kept (no account, no address), so the group is not audited.
        var open = app.MapGroup("/api/v1/tip-offs").WithTags("举报 Tip-offs").AllowAnonymous();
        open.MapPost("/", SubmitAsync)
            .WithName("SubmitTipOff")
            .RequireRateLimiting(SubmitLimit)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("匿名举报未登记的租住人员、未报送的招用人员等（宁夏 第四十一条），转为地址所属派出所的线索");
        open.MapGet("/stations", () => TypedResults.Ok(TipOffUseCases.Stations()))
            .WithName("ListTipOffStations")
            .WithSummary("各派出所公开的举报电话和举报信箱");

        // The leads: an official's read states a purpose; the chief's view of a tipster's contact is audited.
        var leads = app.MapGroup("/api/v1/leads").WithTags("举报线索 Leads").WithPersonalDataAudit(PersonalDataRoute.Registration);
        leads.MapGet("/", async (string? status, int? take, TipOffUseCases cases, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await cases.ListLeadsAsync(status, take ?? 100, actor, ct)).ToOk(http))
            .WithName("ListLeads")
            .WithSummary("本辖区举报线索（举报人联系方式仅所长可见）");
        leads.MapPost("/{id:guid}/close", async (Guid id, CloseLeadRequest request, TipOffUseCases cases, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await cases.CloseAsync(id, request, actor, ct)).ToOk(http))
            .WithName("CloseLead")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("办结举报线索（写明处理情况）");
        return app;
    }

    private static async Task<Results<Created<TipOffReceipt>, ProblemHttpResult>> SubmitAsync(
        TipOffRequest request, TipOffUseCases cases, CurrentActor actor, CancellationToken ct)
    {
        var outcome = await cases.SubmitAsync(request, actor, ct);
        return outcome.TryGetValue(out var receipt, out var failure)
            ? TypedResults.Created($"/api/v1/tip-offs/{receipt.Id}", receipt)
            : ApiProblems.Result(failure);
    }
}
