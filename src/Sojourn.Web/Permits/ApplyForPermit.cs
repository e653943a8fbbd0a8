using Sojourn.Application.Actors;

namespace Sojourn.Web.Permits;

internal sealed record ApplyRequest
{
    public Guid? RegistrationId { get; init; }
    public ApplicantInfo? Applicant { get; init; }

    /// <summary>Ids of the materials handed in (the policy's list, PermitTerms.Materials).</summary>
    public IReadOnlyList<string>? Materials { get; init; }

    public EligibilityFacts? Facts { get; init; }

    /// <summary>Mobile number for reminders (optional; stored SM4-encrypted).</summary>
    public string? Phone { get; init; }

    /// <summary>偏远地区: the policy's longer issuance period applies where it sets one.</summary>
    public bool RemoteArea { get; init; }

    public ApplyForPermitCommand ToCommand() => new(RegistrationId, Applicant, Materials, Facts, Phone, RemoteArea);
}

/// <summary>POST /api/v1/permits: accepts an application (ApplyForPermitUseCase); 201 with the permit and its ETag.</summary>
internal static class ApplyForPermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/", async (ApplyRequest request, HttpContext http, ApplyForPermitUseCase apply, CurrentActor actor, CancellationToken ct) =>
                (await apply.HandleAsync(request.ToCommand(), actor, ct)).ToCreated(http, p => $"/api/v1/permits/{p.Id}", p => p.Version))
            .WithName("ApplyForPermit")
            .WithSummary("申领居住证（受理）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
