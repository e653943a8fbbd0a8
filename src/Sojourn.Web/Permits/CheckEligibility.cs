using Sojourn.Application.Actors;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

internal sealed record EligibilityRequest
{
    public Guid? RegistrationId { get; init; }
    public EligibilityFacts? Facts { get; init; }
    public bool RemoteArea { get; init; }
}

/// <summary>POST /api/v1/permits/eligibility: may this registered person apply today? (CheckEligibilityUseCase).</summary>
internal static class PermitEligibility
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/eligibility", async (EligibilityRequest request, HttpContext http, CheckEligibilityUseCase check, CurrentActor actor, CancellationToken ct) =>
                (await check.HandleAsync(new CheckEligibilityQuery(request?.RegistrationId, request?.Facts, request?.RemoteArea ?? false), actor, ct)).ToOk(http))
            .WithName("CheckPermitEligibility")
            .NotReplayed()
            .WithSummary("居住证申领条件核验（按居住地政策）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>The issuing organ's printed name (Application's PermitEligibility.AuthorityName).</summary>
    public static string AuthorityName(string divisionCode) => Application.Permits.PermitEligibility.AuthorityName(divisionCode);
}
