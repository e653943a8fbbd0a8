using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// 换领 (damaged; the old card is handed back, 居住证暂行条例 第十一条) and 补领 (lost): a successor row with a
/// new permit number and the same validity and endorsement state; the old row becomes superseded (the
/// e-permit credential handler revokes its credential). The fee is the policy's for the operation, with its article;
/// null means a card fee whose amount is set elsewhere (by the price authority), which the history says.
/// </summary>
public static class ReplacePermit
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/replace", async (Guid id, ReplacePermitRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await HandleAsync(PermitKind.Replacement, id, request, http, ctx, ct))
            .WithName("ReplacePermit")
            .WithSummary("损坏换领居住证（交回原证）")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapPost("/{id:guid}/reissue", async (Guid id, ReplacePermitRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await HandleAsync(PermitKind.Reissue, id, request, http, ctx, ct))
            .WithName("ReissuePermit")
            .WithSummary("丢失补领居住证")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    public static async Task<Results<Created<PermitDto>, ProblemHttpResult>> HandleAsync(
        string kind, Guid id, ReplacePermitRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        request ??= new ReplacePermitRequest();
        var step = kind == PermitKind.Replacement ? "replace" : "reissue";
        var (old, problem) = await ctx.LoadForUpdateAsync(id, PermitStepKit.ExpectedVersion(http, request), ct);
        if (old is null)
        {
            return problem!;
        }

        if (old.Status is not (PermitStatus.Valid or PermitStatus.Suspended))
        {
            return PermitContext.WrongStatus(old, step);
        }

        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(old.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(old.ResidenceDivisionCode);
        }

        // Handing back the old card is required where the policy chain says so (cn-2016 第十一条), not everywhere.
        var surrender = terms.ReplacementReturnsOldCard;
        if (kind == PermitKind.Replacement && surrender.Value && !request.OldCardSurrendered)
        {
            return PermitStepKit.Problem(ErrorCode.PermitCardNotSurrendered, "Error_PermitCardNotSurrendered_Detail", PermitStepKit.Cite(surrender.Basis));
        }

        // Same validity and endorsement state; a new card, made today.
        var successor = PermitStepKit.Successor(old, kind, ctx);
        successor.Status = old.Status;
        successor.AppliedOn = today;
        successor.IssueDue = ctx.Lifecycle.IssueDue(terms, old.ResidenceDivisionCode, today, old.RemoteArea);
        successor.DecidedOn = today;
        successor.IssuedOn = today;
        successor.ValidUntil = old.ValidUntil;
        successor.EndorsementAnchor = old.EndorsementAnchor;
        successor.EndorsementsDone = old.EndorsementsDone;
        successor.EndorsementOpens = old.EndorsementOpens;
        successor.EndorsementDue = old.EndorsementDue;
        successor.LeftOn = old.LeftOn;
        var fee = terms.Fees.GetValueOrDefault(kind);
        successor.FeeYuan = fee?.Value;
        successor.FeeBasis = fee?.Basis;

        var failed = await SupersedeAsync(ctx, step, old, successor, terms, new
        {
            predecessorId = old.Id,
            predecessorNumber = old.PermitNumber,
            oldCardSurrendered = request.OldCardSurrendered,
            oldCardRequired = kind == PermitKind.Replacement && surrender.Value,
            oldCardBasis = kind == PermitKind.Replacement ? surrender.Basis : null,
            validUntil = successor.ValidUntil,
            endorsementDue = successor.EndorsementDue,
            fee = fee?.Value,
            feeBasis = fee?.Basis,
            // null: a card fee whose amount the price authority sets (工本费), not this policy.
            feeNote = fee is null ? null : fee.Note ?? (fee.Value is null ? Messages.Get("Permit_FeeSetElsewhere") : null),
        }, PermitStepKit.Basis(fee?.Basis, kind == PermitKind.Replacement && surrender.Value ? surrender.Basis : null) ?? terms.PolicyId, request.Reason, ct);
        if (failed is not null)
        {
            return failed;
        }

        return PermitStepKit.Created(http, ctx, successor);
    }

    /// <summary>
    /// Supersedes <paramref name="old"/> and inserts <paramref name="successor"/> (issued) in one transaction. The old
    /// row's status is saved first, so the one-permit index never sees two current rows for the person.
    /// </summary>
    internal static async Task<ProblemHttpResult?> SupersedeAsync(
        PermitContext ctx, string step, Permit old, Permit successor, PermitTerms terms,
        object issuedDetails, string? basis, string? reason, CancellationToken ct)
    {
        var today = ctx.Clock.Today;
        old.SupersedeBy(successor, step, ctx.Step(today, basis, terms,
            new { successorId = successor.Id, kind = successor.Kind }, reason?.Trim()));
        return await ctx.SaveAsync(old.Id, async () =>
        {
            await ctx.Db.SaveChangesAsync(ct);
            var number = await CertificateNumbers.NextPermitAsync(ctx.Db, successor.ResidenceDivisionCode, today.Year, ct);
            ctx.Db.Permits.Add(successor);
            successor.IssueAsSuccessor(number, ctx.Step(today, basis, terms, issuedDetails, reason?.Trim()));
        }, ct);
    }
}

public sealed record ReplacePermitRequest : PermitStepRequest
{
    /// <summary>换领: the damaged card was handed back (required). 补领: the card is lost (ignored).</summary>
    public bool OldCardSurrendered { get; init; }

    public string? Reason { get; init; }
}
