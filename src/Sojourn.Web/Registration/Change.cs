using Sojourn.Data.Registrations;
using Sojourn.Web.Http;

namespace Sojourn.Web.Registration;

/// <summary>变更登记: the registered information changed, e.g. workplace or residence address (山西2017 第十二条).</summary>
public static class Change
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/changes", (Guid id, AmendRequest request, HttpContext http, RegistrationContext ctx, CancellationToken ct) =>
                Amend.EndpointAsync(VersionKind.Change, id, request, http, ctx, ct))
            .WithName("ChangeRegistration")
            .WithSummary("变更登记（登记信息发生变动）")
            .Produces<DeclareRegistration.ReportReceivedDto>(StatusCodes.Status202Accepted)
            .ProducesUpdateProblems();
}
