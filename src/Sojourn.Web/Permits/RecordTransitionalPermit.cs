using Sojourn.Application.Actors;

namespace Sojourn.Web.Permits;

/// <summary>POST /api/v1/permits/transitional: records a permit or 暂住证 of an earlier policy (RecordTransitionalPermitUseCase).</summary>
internal static class RecordTransitionalPermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/transitional", async (TransitionalPermitRequest request, HttpContext http, RecordTransitionalPermitUseCase record, CurrentActor actor,
                CancellationToken ct) =>
                (await record.HandleAsync(new RecordTransitionalPermitCommand(request.RegistrationId, request.PolicyId, request.DocumentKind,
                    request.PermitNumber, request.IssuedOn, request.ValidUntil, request.AuthorityName, request.Reason), actor, ct))
                    .ToCreated(http, p => $"/api/v1/permits/{p.Id}", p => p.Version))
            .WithName("RecordTransitionalPermit")
            .WithSummary("登记按原政策发放、仍在有效期内的居住证或暂住证")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

internal sealed record TransitionalPermitRequest
{
    public Guid? RegistrationId { get; init; }

    /// <summary>The earlier policy the document was issued under (e.g. <c>shanxi-2013</c>).</summary>
    public string? PolicyId { get; init; }

    /// <summary>permit (居住证) | temporary-residence (暂住证).</summary>
    public string? DocumentKind { get; init; }

    public string? PermitNumber { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public DateOnly? ValidUntil { get; init; }

    /// <summary>The issuing organ printed on the document.</summary>
    public string? AuthorityName { get; init; }

    public string? Reason { get; init; }
}
