using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Evaluation;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// A permit or 暂住证 issued under an earlier policy, recorded for a registered person where the policy now in
/// force keeps such documents valid until their own expiry (山西2017 第三十九条, 山西2013 第四十六条). The row is
/// Kind transitional, status valid, with the old number and dates; the sweep expires it after ValidUntil. A
/// residence permit keeps the annual endorsement under the current terms (the next window from its issue
/// day's anniversaries); a 暂住证 had none and gets none.
/// </summary>
public static class RecordTransitionalPermit
{
    public const string PermitDocument = "permit";
    public const string TemporaryResidenceDocument = "temporary-residence";
    private const int MaxNumber = 32;

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/transitional", async (TransitionalPermitRequest request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await HandleAsync(request, http, ctx, ct))
            .WithName("RecordTransitionalPermit")
            .WithSummary("登记按原政策发放、仍在有效期内的居住证或暂住证")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static async Task<Results<Created<PermitDto>, ProblemHttpResult>> HandleAsync(
        TransitionalPermitRequest request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        var today = ctx.Clock.Today;
        var documentKind = request.DocumentKind ?? PermitDocument;
        if (documentKind is not (PermitDocument or TemporaryResidenceDocument))
        {
            return PermitStepKit.Invalid("documentKind", "Permit_Transitional_KindInvalid", $"{PermitDocument} | {TemporaryResidenceDocument}");
        }

        var number = request.PermitNumber?.Trim();
        if (string.IsNullOrEmpty(number) || number.Length > MaxNumber)
        {
            return PermitStepKit.Invalid("permitNumber", "Permit_FieldRequired", "permitNumber");
        }

        if (request.IssuedOn is not { } issuedOn || issuedOn > today)
        {
            return PermitStepKit.Invalid("issuedOn", request.IssuedOn is null ? "Permit_FieldRequired" : "Permit_DayInFuture", "issuedOn");
        }

        if (request.ValidUntil is not { } validUntil)
        {
            return PermitStepKit.Invalid("validUntil", "Permit_FieldRequired", "validUntil");
        }

        if (validUntil < issuedOn)
        {
            return PermitStepKit.Invalid("validUntil", "Permit_EndsBeforeStart", "validUntil", "issuedOn");
        }

        if (string.IsNullOrWhiteSpace(request.AuthorityName) || request.AuthorityName.Length > Data.Validation.ColumnLengths.AuthorityName)
        {
            return PermitStepKit.Invalid("authorityName", "Permit_FieldRequired", "authorityName");
        }

        if (request.RegistrationId is not { } registrationId)
        {
            return PermitStepKit.Invalid("registrationId", "Permit_FieldRequired", "registrationId");
        }

        var registration = await ctx.Db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == registrationId, ct);
        if (registration is null)
        {
            return ApiProblems.Result(ErrorCode.RegistrationNotFound, Messages.Get("Error_RegistrationNotFound_Detail"));
        }

        if (registration.Status != RegistrationStatus.Confirmed || registration.StationCode is null)
        {
            return ApiProblems.Result(ErrorCode.PermitRegistrationNotConfirmed, Messages.Get("Error_PermitRegistrationNotConfirmed_Detail"));
        }

        var division = registration.ResidenceDivisionCode;
        var terms = ctx.TermsFor(division, today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(division);
        }

        if (!terms.EarlierPermitsStayValid.Value)
        {
            return PermitStepKit.Problem(ErrorCode.PermitTransitionalNotAllowed, "Error_PermitTransitionalNotAllowed_Detail",
                terms.PolicyId, terms.EarlierPermitsStayValid.Basis);
        }

        // The earlier policy: a known one, in force at this place on the issue day, and not the one in force now.
        var earlier = request.PolicyId is null ? null : PolicyCatalog.Default.Find(request.PolicyId);
        if (earlier is null || !earlier.InForceOn(issuedOn) || terms.Policies.Contains(earlier.Id)
            || !(earlier.Nationwide || earlier.Territory.Any(t => division.StartsWith(t, StringComparison.Ordinal))))
        {
            return PermitStepKit.Invalid("policyId", "Permit_Transitional_PolicyInvalid", request.PolicyId, PermitStepKit.Iso(issuedOn), division);
        }

        if (validUntil < today)
        {
            return PermitStepKit.Problem(ErrorCode.PermitTransitionalNotAllowed, "Error_PermitTransitionalExpired_Detail",
                PermitStepKit.Iso(validUntil), terms.EarlierPermitsStayValid.Basis);
        }

        if (await ctx.Db.Permits.IgnoreQueryFilters().AnyAsync(p => p.PermitNumber == number, ct))
        {
            return PermitStepKit.Invalid("permitNumber", "Permit_Transitional_NumberTaken");
        }

        var record = (await ctx.Db.RegistrationVersions.AsNoTracking().Where(v => v.RegistrationId == registrationId)
            .OrderByDescending(v => v.Number).FirstAsync(ct)).Record;
        var now = ctx.Clock.UtcNow;
        var permit = PermitContext.FromRegistration(registration, record, PermitKind.Transitional, PermitStatus.Valid,
            request.AuthorityName.Trim(), now, ctx.Actor);
        permit.PermitNumber = number;
        permit.PolicyId = earlier.Id;
        permit.AppliedOn = issuedOn;
        permit.IssueDue = issuedOn;
        permit.DecidedOn = today;
        permit.IssuedOn = issuedOn;
        permit.ValidUntil = validUntil;
        permit.ResidenceCountsFrom = issuedOn;

        if (documentKind == PermitDocument)
        {
            // The next endorsement still open (earlier years were the old system's business).
            var year = 1;
            var window = ctx.Lifecycle.Endorsement(terms, issuedOn, year);
            while (window.Due < today)
            {
                window = ctx.Lifecycle.Endorsement(terms, issuedOn, ++year);
            }

            permit.EndorsementAnchor = issuedOn;
            permit.EndorsementsDone = year - 1;
            (permit.EndorsementOpens, permit.EndorsementDue) = window;
        }

        ctx.Db.Permits.Add(permit);
        permit.Recorded(ctx.Step(today, PermitStepKit.Basis(terms.EarlierPermitsStayValid.Basis), terms, new
        {
            documentKind,
            earlierPolicy = earlier.Id,
            earlierPolicyTitle = earlier.Title,
            permitNumber = number,
            issuedOn,
            validUntil,
            authorityName = permit.AuthorityName,
            endorsementOpens = permit.EndorsementOpens,
            endorsementDue = permit.EndorsementDue,
            endorsementBasis = documentKind == PermitDocument ? terms.EndorseEvery.Basis : null,
        }, request.Reason?.Trim()));
        if (await ctx.SaveAsync(permit.Id, null, ct) is { } failed)
        {
            return failed;
        }

        return PermitStepKit.Created(http, ctx, permit);
    }
}

public sealed record TransitionalPermitRequest
{
    public Guid? RegistrationId { get; init; }

    /// <summary>The earlier policy the document was issued under (e.g. <c>shanxi-2013</c>).</summary>
    public string? PolicyId { get; init; }

    /// <summary>permit (居住证) | temporary-residence (暂住证).</summary>
    public string? DocumentKind { get; init; }

    public string? PermitNumber { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public DateOnly? ValidUntil { get; init; }

    /// <summary>The issuing organ printed on the document.</summary>
    public string? AuthorityName { get; init; }

    public string? Reason { get; init; }
}
