using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Registrations;

namespace Sojourn.Web.Registration;

/// <summary>申报居住登记 (山西2017 第九条, 第十一条): the person, or an officer or collector for them.</summary>
public static class DeclareRegistration
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/", async (DeclareRequest request, HttpContext http, RegistrationContext ctx, CancellationToken ct) =>
            {
                var result = await HandleAsync(request, Access.ClaimsActorSource.Label(http), ctx, ct);
                if (result.Result is Created<RegistrationDto> created)
                {
                    Http.EntityTags.SetETag(http, created.Value!.Version);
                }

                return result;
            })
            .WithName("DeclareRegistration")
            .WithSummary("申报居住登记")
            .Produces<ReportReceivedDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>A reporter's declaration that an existing registration already covers (no id, no data of it).</summary>
    public sealed record ReportReceivedDto(string Status, string Message);

    /// <summary>The receipt a reporter gets when a registration they cannot see already covers the report.</summary>
    internal static Accepted<ReportReceivedDto> ReportReceived() =>
        TypedResults.Accepted((string?)null, new ReportReceivedDto("received", Messages.Get("Registration_ReportReceived_Detail")));

    public static async Task<Results<Created<RegistrationDto>, Accepted<ReportReceivedDto>, ProblemHttpResult>> HandleAsync(
        DeclareRequest request, string actor, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        var errors = new FieldErrors();
        var record = ctx.Validator.Validate(request, "", errors, photoId: null);
        var declarant = ctx.ResolveDeclarant(request.Declarant, request.Name?.Trim() ?? "", "declarant.", errors);
        if (record is null || errors.Any)
        {
            return Hosting.ApiProblems.Validation(errors.ToDictionary());
        }

        // A migrant declares for themself only (山西2017 第九条: 流动人口本人申报).
        if (ctx.Scope.Reach == Data.Access.ActorReach.Person && record.IdNumberHmac != ctx.Scope.PersonIdHmac)
        {
            return Hosting.ApiProblems.Result(ErrorCode.DeclareForSelfOnly);
        }

        // Writes obey the read jurisdiction (the data layer refuses too; this answers before any lookup).
        if (!ctx.Scope.CoversResidence(record.ResidenceDivisionCode, null))
        {
            return Hosting.ApiProblems.Result(ErrorCode.OutsideJurisdiction,
                Messages.Format("Error_OutsideJurisdiction_Detail", record.ResidenceDivisionCode));
        }

        var addressKey = Data.Registrations.Registration.AddressKey(record.ResidenceDivisionCode, record.ResidenceAddress);
        if (await ctx.FindOtherOpenStayAsync(record.IdNumberHmac, addressKey, null, cancellationToken) is { } existing)
        {
            return RegistrationContext.OpenStayExists(existing);
        }

        var (registration, version) = Data.Registrations.Registration.Declare(
            Guid.CreateVersion7(), record, declarant, actor, ctx.Clock.UtcNow);
        ctx.Db.Registrations.Add(registration);
        // The declaring account: a reporter's reach is the people they reported.
        ctx.Db.Entry(registration).Property(Data.SojournDbContext.DeclaredByProperty).CurrentValue = ctx.AccountId;
        ctx.Db.RegistrationVersions.Add(version);
        if (await ctx.SaveAsync(registration, null, cancellationToken) is { } problem)
        {
            // A reporter (landlord, employer) must not learn of a stay someone else declared: the person is already
            // registered at this address, so the report is fulfilled; nothing is written and nothing is named.
            if (ctx.Scope.Reach == Data.Access.ActorReach.Reporter && RegistrationContext.IsHiddenOpenStay(problem))
            {
                return ReportReceived();
            }

            return problem;
        }

        return TypedResults.Created($"/api/v1/registrations/{registration.Id}", registration.ToDto(version, ctx));
    }
}
