using Sojourn.Application.Actors;
using Sojourn.Web.Http;

namespace Sojourn.Web.Permits;

/// <summary>POST /api/v1/permits/{id}/approve: the station issues the permit (ApprovePermitUseCase); the new version is the ETag.</summary>
internal static class ApprovePermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/approve", async (Guid id, PermitStepRequest? request, HttpContext http, ApprovePermitUseCase approve, CurrentActor actor, CancellationToken ct) =>
                (await approve.HandleAsync(new ApprovePermitCommand(id, EntityTags.ExpectedVersion(http, request?.Version)), actor, ct)).ToOk(http, p => p.Version))
            .WithName("ApprovePermit")
            .WithSummary("审核通过并发放居住证")
            .ProducesIssueStepProblems();
}
