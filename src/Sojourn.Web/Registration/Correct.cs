using Sojourn.Data.Registrations;
using Sojourn.Web.Http;

namespace Sojourn.Web.Registration;

/// <summary>更正登记: the registered information was wrong (山西2017 第十二条).</summary>
public static class Correct
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/corrections", (Guid id, AmendRequest request, HttpContext http, RegistrationContext ctx, CancellationToken ct) =>
                Amend.EndpointAsync(VersionKind.Correction, id, request, http, ctx, ct))
            .WithName("CorrectRegistration")
            .WithSummary("更正登记（登记信息错误）")
            .ProducesUpdateProblems();
}
