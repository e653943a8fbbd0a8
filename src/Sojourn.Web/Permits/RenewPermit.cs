using Sojourn.Application.Actors;

namespace Sojourn.Web.Permits;

/// <summary>POST …/renew and …/renew/issue: 到期换领, applied for on the old row, then issued as its successor (RenewPermitUseCase).</summary>
internal static class RenewPermit
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/renew", async (Guid id, RenewPermitRequest? request, HttpContext http, RenewPermitUseCase renew, CurrentActor actor,
                CancellationToken ct) =>
                (await renew.ApplyAsync(new RenewPermitCommand(id, EntityTags.ExpectedVersion(http, request?.Version), request?.Reason), actor, ct))
                    .ToOk(http, p => p.Version))
            .WithName("RenewPermit")
            .WithSummary("申请到期换领（原证在新证发放前继续有效）")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapPost("/{id:guid}/renew/issue", async (Guid id, RenewPermitRequest? request, HttpContext http, RenewPermitUseCase renew, CurrentActor actor,
                CancellationToken ct) =>
                (await renew.IssueAsync(new RenewPermitCommand(id, EntityTags.ExpectedVersion(http, request?.Version), request?.Reason), actor, ct))
                    .ToCreated(http, p => $"/api/v1/permits/{p.Id}", p => p.Version))
            .WithName("IssuePermitRenewal")
            .WithSummary("发放换领的居住证（原证作废为已换领）")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }
}

internal sealed record RenewPermitRequest : PermitStepRequest
{
    public string? Reason { get; init; }
}
