using Sojourn.Application.Actors;
using Sojourn.Data.Permits;

namespace Sojourn.Web.Permits;

/// <summary>POST …/replace (换领, damaged) and …/reissue (补领, lost): a successor with a new number (ReplacePermitUseCase).</summary>
internal static class ReplacePermit
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/replace", async (Guid id, ReplacePermitRequest? request, HttpContext http, ReplacePermitUseCase replace, CurrentActor actor,
                CancellationToken ct) => await HandleAsync(PermitKind.Replacement, id, request, http, replace, actor, ct))
            .WithName("ReplacePermit")
            .WithSummary("损坏换领居住证（交回原证）")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapPost("/{id:guid}/reissue", async (Guid id, ReplacePermitRequest? request, HttpContext http, ReplacePermitUseCase replace, CurrentActor actor,
                CancellationToken ct) => await HandleAsync(PermitKind.Reissue, id, request, http, replace, actor, ct))
            .WithName("ReissuePermit")
            .WithSummary("丢失补领居住证")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.Created<PermitDto>, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>> HandleAsync(
        string kind, Guid id, ReplacePermitRequest? request, HttpContext http, ReplacePermitUseCase replace, CurrentActor actor, CancellationToken ct) =>
        (await replace.HandleAsync(new ReplacePermitCommand(kind, id, EntityTags.ExpectedVersion(http, request?.Version), request?.OldCardSurrendered ?? false,
            request?.Reason), actor, ct)).ToCreated(http, p => $"/api/v1/permits/{p.Id}", p => p.Version);
}

internal sealed record ReplacePermitRequest : PermitStepRequest
{
    /// <summary>换领: the damaged card was handed back (required). 补领: the card is lost (ignored).</summary>
    public bool OldCardSurrendered { get; init; }

    public string? Reason { get; init; }
}
