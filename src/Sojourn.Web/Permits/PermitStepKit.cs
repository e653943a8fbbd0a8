using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// What the later steps of a permit (change, departure, return, cancellation, renewal, replacement,
/// reissue, transitional record) share: the ETag answer, the successor row, their own event kinds.
/// </summary>
public static class PermitStepKit
{
    /// <summary>A renewal applied for on the old row (it stays valid until the successor is issued).</summary>
    public const string RenewalApplied = "renewal-applied";

    /// <summary>The duty id of a change of address or workplace in the policies (<c>duties:</c>).</summary>
    public const string ReportChangeDuty = "person.report-change";

    /// <summary>Grounds on which the police cancel and confiscate a permit (the policies' <c>lifecycle.confiscation</c> ids).</summary>
    public static readonly IReadOnlyList<string> ConfiscationGrounds = ["obtained-by-fraud", "forged-or-altered"];

    /// <summary>Grounds of 注销 (cancellation), then the grounds of 收缴 (confiscation) a policy may list.</summary>
    public static readonly IReadOnlyList<string> Grounds = ["left", "death", "settled", .. ConfiscationGrounds];

    /// <summary>Who may come to report a death (the policy's <c>deathReportedBy</c> ids).</summary>
    public static readonly IReadOnlyList<string> Relations = ["close-relative", "landlord", "employer"];

    /// <summary>A reporter account (a landlord's or employer's system) reports as one of these.</summary>
    public static readonly IReadOnlyList<string> ReporterRelations = ["landlord", "employer"];

    public static Results<Ok<PermitDto>, ProblemHttpResult> Done(HttpContext http, PermitContext ctx, Permit permit)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(permit);
        Http.EntityTags.SetETag(http, permit.Version);
        return TypedResults.Ok(ctx.ToDto(permit));
    }

    public static Results<Created<PermitDto>, ProblemHttpResult> Created(HttpContext http, PermitContext ctx, Permit permit)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(permit);
        Http.EntityTags.SetETag(http, permit.Version);
        return TypedResults.Created($"/api/v1/permits/{permit.Id}", ctx.ToDto(permit));
    }

    /// <summary>The version the client read: If-Match wins over the body's version.</summary>
    public static int? ExpectedVersion(HttpContext http, PermitStepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Http.EntityTags.ExpectedVersion(http, request.Version);
    }

    public static ProblemHttpResult Problem(ErrorCode error, string detailKey, params object?[] args) =>
        ApiProblems.Result(error, Messages.Format(detailKey, args));

    public static ProblemHttpResult Invalid(string field, string messageKey, params object?[] args) =>
        ApiProblems.Validation(field, Messages.Format(messageKey, args));

    public static ProblemHttpResult OutsideWindow(string step, DateOnly from, DateOnly until, string basis) =>
        ApiProblems.Result(ErrorCode.PermitOutsideWindow,
            Messages.Format("Error_PermitOutsideWindow_Detail", Messages.Get("PermitStep_" + step), Iso(from), Iso(until), basis));

    /// <summary>A period as the history shows it: {"amount": 30, "unit": "days"}.</summary>
    public static object Describe(Rules.Periods.Period period) =>
        new { amount = period.Amount, unit = Rules.Periods.Period.UnitName(period.Unit) };

    /// <summary>A basis in the contract form as people read it: <c>cn-2016#11</c> → 《居住证暂行条例》第十一条.</summary>
    public static string Cite(string? basis) =>
        string.Join("；", PermitDocumentEndpoints.Citations(basis).Select(c => c.Instrument + c.Article));

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Citations joined in the contract form, without empties or repeats.</summary>
    public static string? Basis(params string?[] citations)
    {
        var list = citations.Where(c => !string.IsNullOrEmpty(c)).SelectMany(c => c!.Split(',')).Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : string.Join(',', list);
    }

    /// <summary>
    /// A new row that takes over the permit (renewal, replacement, reissue): the same person, residence,
    /// station and issuing authority; the caller sets number, dates, status and fee.
    /// </summary>
    public static Permit Successor(Permit old, string kind, PermitContext ctx)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(ctx);
        var now = ctx.Clock.UtcNow;
        return new Permit
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            PredecessorId = old.Id,
            PersonName = old.PersonName,
            PersonIdCipher = old.PersonIdCipher,
            PersonIdHmac = old.PersonIdHmac,
            PersonIdMasked = old.PersonIdMasked,
            Sex = old.Sex,
            EthnicGroup = old.EthnicGroup,
            BirthDate = old.BirthDate,
            PhoneCipher = old.PhoneCipher,
            RegistrationId = old.RegistrationId,
            ResidenceDivisionCode = old.ResidenceDivisionCode,
            ResidenceAddress = old.ResidenceAddress,
            Workplace = old.Workplace,
            StationCode = old.StationCode,
            StationName = old.StationName,
            AuthorityCode = old.AuthorityCode,
            AuthorityName = old.AuthorityName,
            RemoteArea = old.RemoteArea,
            PolicyId = old.PolicyId,
            ApplicantRelation = old.ApplicantRelation,
            ApplicantName = old.ApplicantName,
            Materials = old.Materials,
            FactsJson = old.FactsJson,
            PhotoId = old.PhotoId,
            ResidenceCountsFrom = old.ResidenceCountsFrom,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = ctx.Actor.Length > Data.Validation.ColumnLengths.Actor ? ctx.Actor[..Data.Validation.ColumnLengths.Actor] : ctx.Actor,
        };
    }
}
