using Sojourn.Application.Actors;

namespace Sojourn.Web.Permits;

/// <summary>POST /api/v1/permits/{id}/cancel: 注销 on leaving, death or settling, or 收缴 (CancelPermitUseCase).</summary>
internal static class CancelPermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/cancel", async (Guid id, CancelPermitRequest? request, HttpContext http, CancelPermitUseCase cancel, CurrentActor actor,
                CancellationToken ct) =>
            {
                request ??= new CancelPermitRequest();
                return (await cancel.HandleAsync(new CancelPermitCommand(id, EntityTags.ExpectedVersion(http, request.Version), request.Ground,
                    request.EffectiveOn, request.ReportedBy, request.ReporterName, request.Final, request.OldCardSurrendered, request.Reason), actor, ct))
                    .ToOk(http, p => p.Version);
            })
            .WithName("CancelPermit")
            .WithSummary("注销居住证（离开、死亡、落户）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}

internal sealed record CancelPermitRequest : PermitStepRequest
{
    /// <summary>left | death | settled | obtained-by-fraud | forged-or-altered (the last two: officials only, with a reason).</summary>
    public string? Ground { get; init; }

    /// <summary>The day of leaving (may be ahead, within the policy's period before leaving), of death, or of settling.</summary>
    public DateOnly? EffectiveOn { get; init; }

    /// <summary>Who reports: close-relative | landlord | employer (a death must be reported by one the policy names).</summary>
    public string? ReportedBy { get; init; }

    public string? ReporterName { get; init; }

    /// <summary>The holder confirms they will not return: cancels on leaving inside the return exception.</summary>
    public bool Final { get; init; }

    /// <summary>The card was handed back (山西2017 第十八条 并交回居住证).</summary>
    public bool OldCardSurrendered { get; init; }

    public string? Reason { get; init; }
}
