using Sojourn.Application.Actors;

namespace Sojourn.Web.Permits;

/// <summary>POST /api/v1/permits/{id}/change: a new address or workplace, or a move to another station's area (ChangePermitUseCase).</summary>
internal static class ChangePermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/change", async (Guid id, ChangePermitRequest? request, HttpContext http, ChangePermitUseCase change, CurrentActor actor,
                CancellationToken ct) =>
            {
                request ??= new ChangePermitRequest();
                return (await change.HandleAsync(new ChangePermitCommand(id, EntityTags.ExpectedVersion(http, request.Version), request.ChangedOn,
                    request.ResidenceAddress, request.Workplace, request.RegistrationId, request.Reason), actor, ct)).ToOk(http, p => p.Version);
            })
            .WithName("ChangePermit")
            .WithSummary("居住证变更（住址、工作单位；跨派出所迁居）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}

internal sealed record ChangePermitRequest : PermitStepRequest
{
    /// <summary>The day the address or workplace changed (the reporting period runs from it).</summary>
    public DateOnly? ChangedOn { get; init; }

    public string? ResidenceAddress { get; init; }
    public string? Workplace { get; init; }

    /// <summary>A move into another station's area: the new, confirmed registration of the holder.</summary>
    public Guid? RegistrationId { get; init; }

    public string? Reason { get; init; }
}
