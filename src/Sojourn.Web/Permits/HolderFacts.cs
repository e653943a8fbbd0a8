using Sojourn.Application.Actors;
using Sojourn.Web.Http;

namespace Sojourn.Web.Permits;

/// <summary>
/// POST and GET /api/v1/permits/{id}/holder-facts: the holder settled 常住户口 or died, recorded by the station from a
/// document, kept as history (HolderFactUseCases); the compliance sweep follows it up.
/// </summary>
internal static class HolderFacts
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/holder-facts", async (Guid id, RecordHolderFactRequest? request, HttpContext http, HolderFactUseCases facts,
                CurrentActor actor, CancellationToken ct) =>
            {
                request ??= new RecordHolderFactRequest();
                return (await facts.RecordAsync(new RecordHolderFactCommand(id, request.Kind, request.On, request.HukouDivisionCode, request.DocumentRef,
                    request.SupersedesId, request.Reason), actor, ct)).ToCreated(http, f => $"/api/v1/permits/{id}/holder-facts");
            })
            .WithName("RecordHolderFact")
            .WithSummary("登记居住证持有人落户（登记为常住户口）或死亡")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{id:guid}/holder-facts", async (Guid id, HttpContext http, HolderFactUseCases facts, CurrentActor actor, CancellationToken ct) =>
                (await facts.ListAsync(id, actor, ct)).ToOk(http))
            .WithName("ListHolderFacts")
            .WithSummary("持有人落户、死亡记录（只增不改）")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

internal sealed record RecordHolderFactRequest
{
    /// <summary>settled | died.</summary>
    public string? Kind { get; init; }

    /// <summary>The day of settling (登记为常住户口之日) or of death; not after today.</summary>
    public DateOnly? On { get; init; }

    /// <summary>Settled: the GB/T 2260 division of the 户口登记机关.</summary>
    public string? HukouDivisionCode { get; init; }

    public string? DocumentRef { get; init; }

    /// <summary>The record this one corrects (kept), with the reason.</summary>
    public long? SupersedesId { get; init; }

    public string? Reason { get; init; }
}
