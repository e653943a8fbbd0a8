using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// POST /api/v1/permits/{id}/endorse: the yearly endorsement (签注).
/// <list type="bullet">
/// <item>A valid permit is endorsed only inside its window (opens..due); the next window is the next
/// anniversary of the anchor.</item>
/// <item>A suspended permit (endorsement missed) is endorsed late at any time and becomes valid again
/// (补办签注). Residence years then count from today (FromLateEndorsement, 居住证暂行条例 第十条) or run on
/// (Continuous), as the terms say. Design decision: the late endorsement re-anchors the yearly cycle on its
/// own day (anchor = today, endorsements since the anchor = 0), so the next window is one year after the
/// late endorsement, not at the old anniversary a few weeks later.</item>
/// <item>A void permit cannot be endorsed: the person applies again.</item>
/// </list>
/// </summary>
public static class EndorsePermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/endorse", async (Guid id, EndorsePermitRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct) =>
                PermitIssueSteps.WithETag(http, await HandleAsync(id, Http.EntityTags.ExpectedVersion(http, request?.Version), ctx, ct, request)))
            .ProducesIssueStepProblems()
            .WithName("EndorsePermit")
            .WithSummary("居住证签注（逾期的补办签注）");

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> HandleAsync(
        Guid id, int? expectedVersion, PermitContext ctx, CancellationToken cancellationToken, EndorsePermitRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, expectedVersion, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(permit!.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(permit.ResidenceDivisionCode);
        }

        if (permit.Status == PermitStatus.Void)
        {
            return ApiProblems.Result(ErrorCode.PermitWrongStatus, Messages.Format("Error_PermitVoidReapply_Detail", terms.MissedEndorsement.Basis));
        }

        // Where the policy says so (台州 二(三)2), an endorsement needs the materials again and the holder still
        // meeting the permit's conditions, which the officer confirms; nothing is saved otherwise.
        var requires = terms.EndorsementRequires;
        var checks = requires.Value is { Conditions: false, Materials: false }
            ? null
            : new { conditionsConfirmed = requires.Value.Conditions, materials = request?.Materials, basis = requires.Basis };
        terms.Fees.TryGetValue("endorsement", out var fee);
        if (permit.Status == PermitStatus.Valid)
        {
            if (permit.EndorsementOpens is not { } opens || permit.EndorsementDue is not { } due)
            {
                return OutsideWindow(Messages.Format("Error_PermitNoEndorsementDue_Detail", Day(permit.ValidUntil)), null, null, terms.EndorseEvery.Basis);
            }

            if (today < opens || today > due)
            {
                return OutsideWindow(
                    Messages.Format("Error_PermitOutsideWindow_Detail", Messages.Get("PermitStep_endorse"), Day(opens), Day(due), terms.EndorseWindow.Basis),
                    opens, due, terms.EndorseWindow.Basis);
            }

            if (Requirements(request, terms) is { } missing)
            {
                return missing;
            }

            var year = permit.EndorsementsDone + 1;
            var next = PermitIssueSteps.Window(ctx, terms, permit.ValidUntil, permit.EndorsementAnchor ?? permit.IssuedOn!.Value, year + 1);
            permit.Endorse(next.Opens, next.Due, ctx.Step(today, PermitCitations.Bases(terms.EndorseEvery.Basis, fee?.Basis), terms, new
            {
                year,
                window = new { opens, due },
                next = new { opens = next.Opens, due = next.Due },
                fee = fee is null ? null : new { yuan = fee.Value, basis = fee.Basis },
                requirements = checks,
            }));
        }
        else if (permit.Status == PermitStatus.Suspended)
        {
            if (Requirements(request, terms) is { } missing)
            {
                return missing;
            }

            var missedDue = permit.EndorsementDue;
            var countsBefore = permit.ResidenceCountsFrom;
            var anew = terms.LateEndorsement.Value == LateEndorsementYears.FromLateEndorsement;
            var next = PermitIssueSteps.Window(ctx, terms, permit.ValidUntil, today, 1);
            permit.Restore(today, anew, next.Opens, next.Due, ctx.Step(today, PermitCitations.Bases(terms.LateEndorsement.Basis, fee?.Basis), terms, new
            {
                lateEndorsement = anew ? "from-late-endorsement" : "continuous",
                note = terms.LateEndorsement.Note,
                missedDue,
                residenceCountsFrom = new { before = countsBefore, after = anew ? today : countsBefore },
                anchor = today,
                next = new { opens = next.Opens, due = next.Due },
                fee = fee is null ? null : new { yuan = fee.Value, basis = fee.Basis },
                requirements = checks,
            }));
        }
        else
        {
            return PermitContext.WrongStatus(permit, "endorse");
        }

        var saved = await ctx.SaveAsync(permit.Id, null, cancellationToken);
        return saved is not null ? saved : TypedResults.Ok(ctx.ToDto(permit));
    }

    private static ProblemHttpResult? Requirements(EndorsePermitRequest? request, PermitTerms terms)
    {
        var requires = terms.EndorsementRequires;
        var errors = new FieldErrors();
        if (requires.Value.Conditions && request?.ConditionsMet != true)
        {
            errors.Add("conditionsMet", "Permit_EndorseConditions", PermitStepKit.Cite(requires.Basis));
        }

        if (requires.Value.Materials)
        {
            var given = new HashSet<string>((request?.Materials ?? []).Select(m => m?.Trim() ?? ""), StringComparer.Ordinal);
            foreach (var m in terms.Materials.Where(m => !given.Contains(m.Value)))
            {
                errors.Add("materials", "Permit_MaterialMissing", m.Note ?? m.Value, requires.Basis);
            }
        }

        return errors.Any ? ApiProblems.Validation(errors.ToDictionary()) : null;
    }

    private static ProblemHttpResult OutsideWindow(string detail, DateOnly? opens, DateOnly? due, string basis)
    {
        var problem = ApiProblems.Create(ErrorCode.PermitOutsideWindow, detail);
        problem.Extensions["opens"] = opens;
        problem.Extensions["due"] = due;
        problem.Extensions["basis"] = basis;
        return TypedResults.Problem(problem);
    }

    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}

/// <summary>Body of an endorsement: the version, and where the policy requires them, the materials and the conditions confirmed.</summary>
public sealed record EndorsePermitRequest : PermitStepRequest
{
    /// <summary>Material ids handed in (the policy's <c>materials</c>), where the policy's <c>endorsementRequires.materials</c> is true.</summary>
    public IReadOnlyList<string>? Materials { get; init; }

    /// <summary>The officer confirms the holder still meets the permit's conditions, where <c>endorsementRequires.conditions</c> is true.</summary>
    public bool? ConditionsMet { get; init; }
}
