using Sojourn.Application.Actors;
using Sojourn.Web.Http;

namespace Sojourn.Web.Permits;

internal sealed record RefuseRequest : PermitStepRequest
{
    /// <summary>告知并说明理由: the reason, in words.</summary>
    public string? Reason { get; init; }

    /// <summary>Articles the refusal rests on, in the contract's form (<c>shanxi-2017#9</c>), e.g. the unmet condition's basis.</summary>
    public IReadOnlyList<string>? Basis { get; init; }
}

/// <summary>
/// POST /api/v1/permits/{id}/refuse: the station refuses to issue (不予发放) with a reason and its articles
/// (RefusePermitUseCase); the notice (告知并说明理由) is rendered from the stored reason and basis by the e-permit module.
/// </summary>
internal static class RefusePermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/refuse", async (Guid id, RefuseRequest? request, HttpContext http, RefusePermitUseCase refuse, CurrentActor actor, CancellationToken ct) =>
                (await refuse.HandleAsync(
                    new RefusePermitCommand(id, EntityTags.ExpectedVersion(http, request?.Version), request?.Reason, request?.Basis), actor, ct)).ToOk(http, p => p.Version))
            .WithName("RefusePermit")
            .WithSummary("不予发放居住证（书面告知并说明理由）")
            .ProducesIssueStepProblems();
}
