using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Access;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// 注销: the holder left the city, died, or settled household registration (山西2017 第十八条). A departure
/// inside the policy's return exception is not cancelled unless the holder says they will not return.
/// Officials cancel on any ground; a landlord's or employer's system (reporter) reports the death of a
/// person it reported; a migrant cancels their own permit on leaving or settling.
/// </summary>
public static class CancelPermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/cancel", async (Guid id, CancelPermitRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await HandleAsync(id, request, http, ctx, ct))
            .WithName("CancelPermit")
            .WithSummary("注销居住证（离开、死亡、落户）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> HandleAsync(
        Guid id, CancelPermitRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        request ??= new CancelPermitRequest();

        // Found (and in reach) first: a permit outside the caller's reach is 404 whatever the body says.
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, PermitStepKit.ExpectedVersion(http, request), ct);
        if (permit is null)
        {
            return problem!;
        }

        if (request.Ground is not { } ground || !PermitStepKit.Grounds.Contains(ground))
        {
            return PermitStepKit.Invalid("ground", "Permit_Cancel_GroundInvalid", string.Join(" | ", PermitStepKit.Grounds));
        }

        // Who may cancel on which ground: the access table lets the roles in, the ground narrows them.
        var role = ctx.ActorRole;
        var confiscation = PermitStepKit.ConfiscationGrounds.Contains(ground);
        if ((role == Roles.Reporter && ground != "death") || (role == Roles.Migrant && (ground == "death" || confiscation)))
        {
            return PermitStepKit.Problem(ErrorCode.PermitStepNotAllowed, "Error_PermitStepNotAllowed_Ground", Messages.Get("PermitGround_" + ground));
        }

        if (permit.Status is not (PermitStatus.Valid or PermitStatus.Suspended))
        {
            return PermitContext.WrongStatus(permit, "cancel");
        }

        var today = ctx.Clock.Today;
        // A confiscation is the police's finding: it states what was found, and takes effect today unless dated.
        if (confiscation && string.IsNullOrWhiteSpace(request.Reason))
        {
            return PermitStepKit.Invalid("reason", "Permit_FieldRequired", "reason");
        }

        var effectiveOn = request.EffectiveOn ?? (ground == "left" ? permit.LeftOn : confiscation ? today : null);
        if (effectiveOn is not { } day)
        {
            return PermitStepKit.Invalid("effectiveOn", "Permit_FieldRequired", "effectiveOn");
        }

        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, day <= today ? day : today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(permit.ResidenceDivisionCode);
        }

        // Leaving may be announced ahead, within the policy's period before leaving; death and settling have happened.
        var ahead = ground == "left" && terms.CancelBeforeLeaving is { } before && Rules.Periods.PeriodMath.WindowStart(day, before.Value) <= today;
        if (day > today && !ahead)
        {
            return PermitStepKit.Invalid("effectiveOn", "Permit_DayInFuture", "effectiveOn");
        }

        string? basis;
        Dictionary<string, object?> details = new() { ["ground"] = ground, ["final"] = request.Final, ["oldCardSurrendered"] = request.OldCardSurrendered };
        switch (ground)
        {
            case "obtained-by-fraud" or "forged-or-altered":
                {
                    // The ground and its article come from the policy chain; where no layer gives one, there is no basis.
                    if (terms.ConfiscationGrounds.FirstOrDefault(g => g.Value == ground) is not { } cited)
                    {
                        return PermitStepKit.Problem(ErrorCode.PermitNoConfiscationBasis, "Error_PermitNoConfiscationBasis_Detail",
                            Messages.Get("PermitGround_" + ground), string.Join(", ", terms.Policies));
                    }

                    details["confiscated"] = true;
                    details["groundNote"] = cited.Note;
                    basis = cited.Basis;
                    break;
                }

            case "death":
                {
                    var relation = request.ReportedBy;
                    var allowed = terms.DeathReportedBy.Value;
                    if (role == Roles.Reporter && (relation is null || !PermitStepKit.ReporterRelations.Contains(relation)))
                    {
                        return PermitStepKit.Invalid("reportedBy", "Permit_Cancel_ReporterRelation", string.Join(" | ", PermitStepKit.ReporterRelations));
                    }

                    if (relation is not null && !PermitStepKit.Relations.Contains(relation))
                    {
                        return PermitStepKit.Invalid("reportedBy", "Permit_Cancel_RelationInvalid", string.Join(" | ", PermitStepKit.Relations));
                    }

                    if (allowed.Count > 0 && relation is null)
                    {
                        return PermitStepKit.Invalid("reportedBy", "Permit_FieldRequired", "reportedBy");
                    }

                    // Where the policy lists who reports a death, only they may; where it is silent, only the police record it.
                    if (allowed.Count > 0 ? !allowed.Contains(relation!) : role == Roles.Reporter)
                    {
                        return PermitStepKit.Problem(ErrorCode.PermitStepNotAllowed, "Error_PermitStepNotAllowed_DeathReporter",
                            relation is null ? "-" : Messages.Get("PermitRelation_" + relation),
                            allowed.Count == 0 ? "-" : string.Join("、", allowed.Select(a => Messages.Get("PermitRelation_" + a))),
                            terms.DeathReportedBy.Basis);
                    }

                    details["reportedBy"] = relation;
                    details["reporterName"] = request.ReporterName;
                    details["reportersAllowed"] = allowed;
                    basis = terms.DeathReportedBy.Basis;
                    break;
                }

            case "settled":
                {
                    if (terms.CancelAfterSettling is { } settling)
                    {
                        var due = ctx.Lifecycle.Due(settling, permit.ResidenceDivisionCode, day);
                        details["due"] = due;
                        details["late"] = today > due;
                        basis = settling.Basis;
                    }
                    else
                    {
                        basis = terms.PolicyId; // the policy sets no period: the cancellation rests on the policy as a whole
                    }

                    details["reportedBy"] = request.ReportedBy;
                    break;
                }

            default:
                {
                    var leftOn = day;
                    if (terms.ReturnException is { } exception)
                    {
                        var returnBy = ctx.Lifecycle.Due(exception, permit.ResidenceDivisionCode, leftOn);
                        details["returnBy"] = returnBy;
                        if (today <= returnBy && !request.Final)
                        {
                            return PermitStepKit.Problem(ErrorCode.PermitReturnExceptionRunning, "Error_PermitReturnExceptionRunning_Detail",
                                PermitStepKit.Iso(leftOn), exception.Note ?? exception.Basis, PermitStepKit.Iso(returnBy), exception.Basis);
                        }
                    }

                    basis = Departure(ctx, terms, permit, leftOn, details);
                    permit.LeftOn = leftOn;
                    break;
                }
        }

        Cancel(ctx, permit, terms, day, basis, details, request.Reason);
        if (await ctx.SaveAsync(permit.Id, null, ct) is { } failed)
        {
            return failed;
        }

        return PermitStepKit.Done(http, ctx, permit);
    }

    /// <summary>The cancellation-on-leaving window (before leaving) and the return exception, into the event's details; the basis.</summary>
    internal static string? Departure(PermitContext ctx, PermitTerms terms, Permit permit, DateOnly leftOn, Dictionary<string, object?> details) =>
        PermitSteps.Departure(ctx.Lifecycle, terms, permit, leftOn, ctx.Clock.Today, details);

    /// <summary>Sets the permit cancelled and appends the event (the one-permit index no longer counts it).</summary>
    internal static void Cancel(
        PermitContext ctx, Permit permit, PermitTerms terms, DateOnly effectiveOn, string? basis, Dictionary<string, object?> details, string? reason)
    {
        ArgumentNullException.ThrowIfNull(permit);
        permit.Cancel(null, ctx.Step(effectiveOn, basis, terms, details, reason?.Trim()));
    }
}

public sealed record CancelPermitRequest : PermitStepRequest
{
    /// <summary>left | death | settled | obtained-by-fraud | forged-or-altered (the last two: officials only, with a reason).</summary>
    public string? Ground { get; init; }

    /// <summary>The day of leaving (may be ahead, within the policy's period before leaving), of death, or of settling.</summary>
    public DateOnly? EffectiveOn { get; init; }

    /// <summary>Who reports: close-relative | landlord | employer (a death must be reported by one the policy names).</summary>
    public string? ReportedBy { get; init; }

    public string? ReporterName { get; init; }

    /// <summary>The holder confirms they will not return: cancels on leaving inside the return exception.</summary>
    public bool Final { get; init; }

    /// <summary>The card was handed back (山西2017 第十八条 并交回居住证).</summary>
    public bool OldCardSurrendered { get; init; }

    public string? Reason { get; init; }
}
