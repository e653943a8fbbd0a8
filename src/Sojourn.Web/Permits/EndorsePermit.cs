using Sojourn.Application.Actors;

namespace Sojourn.Web.Permits;

/// <summary>POST /api/v1/permits/{id}/endorse: the yearly endorsement, late where missed (EndorsePermitUseCase); the new version is the ETag.</summary>
internal static class EndorsePermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/endorse", async (Guid id, EndorsePermitRequest? request, HttpContext http, EndorsePermitUseCase endorse, CurrentActor actor, CancellationToken ct) =>
                (await endorse.HandleAsync(new EndorsePermitCommand(id, EntityTags.ExpectedVersion(http, request?.Version), request?.Materials, request?.ConditionsMet), actor, ct))
                    .ToOk(http, p => p.Version))
            .ProducesIssueStepProblems()
            .WithName("EndorsePermit")
            .WithSummary("居住证签注（逾期的补办签注）");
}

/// <summary>Body of an endorsement: the version, and where the policy requires them, the materials and the conditions confirmed.</summary>
internal sealed record EndorsePermitRequest : PermitStepRequest
{
    /// <summary>Material ids handed in (the policy's <c>materials</c>), where the policy's <c>endorsementRequires.materials</c> is true.</summary>
    public IReadOnlyList<string>? Materials { get; init; }

    /// <summary>The officer confirms the holder still meets the permit's conditions, where <c>endorsementRequires.conditions</c> is true.</summary>
    public bool? ConditionsMet { get; init; }
}
