using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// 到期换领 (renewal before expiry), in two steps on purpose. The one-permit index counts an application
/// (applied) and a valid permit alike, so a successor row cannot wait for review beside the valid old one;
/// and superseding the old row at application would revoke a card that is still good. So the application
/// is recorded on the SAME row (event <c>renewal-applied</c>, with the issuance deadline; the permit stays
/// valid), and the station's issue step supersedes the old row and inserts the successor (Kind renewal,
/// status valid, new number, validity from the issue day) in one transaction, old row first.
/// </summary>
public static class RenewPermit
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/renew", async (Guid id, RenewPermitRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await ApplyAsync(id, request, http, ctx, ct))
            .WithName("RenewPermit")
            .WithSummary("申请到期换领（原证在新证发放前继续有效）")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapPost("/{id:guid}/renew/issue", async (Guid id, RenewPermitRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await IssueAsync(id, request, http, ctx, ct))
            .WithName("IssuePermitRenewal")
            .WithSummary("发放换领的居住证（原证作废为已换领）")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> ApplyAsync(
        Guid id, RenewPermitRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        request ??= new RenewPermitRequest();
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, PermitStepKit.ExpectedVersion(http, request), ct);
        if (permit is null)
        {
            return problem!;
        }

        if (permit.Status != PermitStatus.Valid)
        {
            return PermitContext.WrongStatus(permit, "renew");
        }

        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(permit.ResidenceDivisionCode);
        }

        if (permit.ValidUntil is not { } validUntil)
        {
            return PermitStepKit.Problem(ErrorCode.PermitNoExpiry, "Error_PermitNoExpiry_Detail", terms.Validity?.Basis ?? terms.PolicyId);
        }

        // Only a window (「期满前N日内」) bars an early application; where the policy sets none (a deadline
        // 「期满N日前」 as 山西2013 第二十條, or nothing as 山西2017 第三十八條), any time before expiry.
        var opens = ctx.Lifecycle.RenewalOpens(terms, validUntil) ?? permit.IssuedOn ?? permit.AppliedOn;
        var windowBasis = terms.RenewWithin?.Basis ?? terms.Validity?.Basis ?? terms.PolicyId;
        if (today < opens || today > validUntil)
        {
            return PermitStepKit.OutsideWindow("renew", opens, validUntil, windowBasis);
        }

        // A missed deadline makes the application late, not inadmissible: the text sets a duty, no bar (see the policy's decisions).
        var deadline = ctx.Lifecycle.RenewalDeadline(terms, validUntil);
        var late = deadline is { } by && today > by;

        if (await PendingAsync(ctx, permit, ct) is not null)
        {
            return PermitStepKit.Problem(ErrorCode.PermitRenewalPending, "Error_PermitRenewalPending_Detail");
        }

        // The renewal rests on the residence still registered (居住证明).
        var registrationOpen = await ctx.Db.Registrations.IgnoreQueryFilters()
            .AnyAsync(r => r.Id == permit.RegistrationId && r.Status == RegistrationStatus.Confirmed, ct);
        if (!registrationOpen)
        {
            return ApiProblems.Result(ErrorCode.PermitRegistrationNotConfirmed, Messages.Get("Error_PermitRegistrationNotConfirmed_Detail"));
        }

        var issueDue = ctx.Lifecycle.IssueDue(terms, permit.ResidenceDivisionCode, today, permit.RemoteArea);
        var issueBasis = (permit.RemoteArea && terms.IssueWithinRemote is { } remote ? remote : terms.IssueWithin).Basis;
        permit.ApplyForRenewal(ctx.Step(today, PermitStepKit.Basis(windowBasis, terms.RenewBy?.Basis, issueBasis), terms,
            new RenewalApplication(opens, validUntil, windowBasis, issueDue, issueBasis, deadline, terms.RenewBy?.Basis, late), request.Reason?.Trim()));
        if (await ctx.SaveAsync(permit.Id, null, ct) is { } failed)
        {
            return failed;
        }

        return PermitStepKit.Done(http, ctx, permit);
    }

    public static async Task<Results<Created<PermitDto>, ProblemHttpResult>> IssueAsync(
        Guid id, RenewPermitRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        request ??= new RenewPermitRequest();
        var (old, problem) = await ctx.LoadForUpdateAsync(id, PermitStepKit.ExpectedVersion(http, request), ct);
        if (old is null)
        {
            return problem!;
        }

        // The sweep may have expired the old permit while the renewal waited: it is still issued.
        if (old.Status is not (PermitStatus.Valid or PermitStatus.Expired))
        {
            return PermitContext.WrongStatus(old, "renew");
        }

        if (await PendingAsync(ctx, old, ct) is not { } application)
        {
            return PermitStepKit.Problem(ErrorCode.PermitRenewalPending, "Error_PermitNoRenewal_Detail");
        }

        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(old.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(old.ResidenceDivisionCode);
        }

        var successor = PermitStepKit.Successor(old, PermitKind.Renewal, ctx);
        successor.PolicyId = terms.PolicyId;
        successor.Status = PermitStatus.Valid;
        successor.AppliedOn = application.EffectiveOn;
        successor.IssueDue = application.IssueDue;
        successor.DecidedOn = today;
        successor.IssuedOn = today;
        successor.ValidUntil = ctx.Lifecycle.ValidUntil(terms, today);
        successor.EndorsementAnchor = today;
        (successor.EndorsementOpens, successor.EndorsementDue) = ctx.Lifecycle.Endorsement(terms, today, 1);
        var fee = terms.Fees.GetValueOrDefault(PermitKind.Renewal);
        successor.FeeYuan = fee?.Value;
        successor.FeeBasis = fee?.Basis;

        var problemOnSave = await ReplacePermit.SupersedeAsync(ctx, "renew-issue", old, successor, terms, new
        {
            predecessorId = old.Id,
            predecessorNumber = old.PermitNumber,
            appliedOn = application.EffectiveOn,
            issueDue = application.IssueDue,
            issueDueMet = today <= application.IssueDue,
            validUntil = successor.ValidUntil,
            validityBasis = terms.Validity?.Basis,
            endorsementOpens = successor.EndorsementOpens,
            endorsementDue = successor.EndorsementDue,
            fee = fee?.Value,
            feeBasis = fee?.Basis,
            feeNote = fee?.Note,
        }, PermitStepKit.Basis(terms.Validity?.Basis, terms.EndorseEvery.Basis, fee?.Basis), request.Reason, ct);
        if (problemOnSave is not null)
        {
            return problemOnSave;
        }

        return PermitStepKit.Created(http, ctx, successor);
    }

    /// <summary>The renewal applied for on this row and not yet issued (the issue supersedes the row), or null.</summary>
    private static async Task<(DateOnly EffectiveOn, DateOnly IssueDue)?> PendingAsync(PermitContext ctx, Permit permit, CancellationToken ct)
    {
        var applied = await ctx.Db.PermitEvents.AsNoTracking()
            .Where(e => e.PermitId == permit.Id && e.Kind == PermitStepKit.RenewalApplied)
            .OrderByDescending(e => e.Number).FirstOrDefaultAsync(ct);
        if (applied?.Details is null)
        {
            return null;
        }

        var application = JsonSerializer.Deserialize<RenewalApplication>(applied.Details, PermitContext.JsonOptions)!;
        return (applied.EffectiveOn, application.IssueDue);
    }

    private sealed record RenewalApplication(
        DateOnly WindowOpens, DateOnly ValidUntil, string WindowBasis, DateOnly IssueDue, string IssueDueBasis,
        DateOnly? Deadline = null, string? DeadlineBasis = null, bool Late = false);
}

public sealed record RenewPermitRequest : PermitStepRequest
{
    public string? Reason { get; init; }
}
