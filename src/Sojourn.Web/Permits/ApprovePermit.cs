using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;

namespace Sojourn.Web.Permits;

/// <summary>
/// POST /api/v1/permits/{id}/approve: the station issues the permit (制作发放). The number comes from the
/// division's JZ series; validity, the first endorsement window and the fee come from the terms in force
/// today, each with its article; the event records whether the issuance deadline was met.
/// </summary>
public static class ApprovePermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapVersionedStep("/{id:guid}/approve", HandleAsync)
            .WithName("ApprovePermit")
            .WithSummary("审核通过并发放居住证");

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> HandleAsync(
        Guid id, int? expectedVersion, PermitContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, expectedVersion, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (permit!.Status != PermitStatus.Applied)
        {
            return PermitContext.WrongStatus(permit, "approve");
        }

        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(permit.ResidenceDivisionCode);
        }

        var validUntil = ctx.Lifecycle.ValidUntil(terms, today);
        var (opens, due) = PermitIssueSteps.Window(ctx, terms, validUntil, today, 1);
        var feeKey = permit.Kind == PermitKind.Transitional ? PermitKind.FirstIssue : permit.Kind;
        terms.Fees.TryGetValue(feeKey, out var fee);
        var deadlineMet = today <= permit.IssueDue;
        var basis = ApplyForPermit.Bases(terms.IssueWithin.Basis, terms.Validity?.Basis, terms.EndorseEvery.Basis, fee?.Basis);

        var saved = await ctx.SaveAsync(permit.Id, async () =>
        {
            // Numbered inside the transaction, so a failed step leaves no gap-free number taken by a rolled-back row.
            var number = await CertificateNumbers.NextPermitAsync(ctx.Db, permit.ResidenceDivisionCode, today.Year, cancellationToken);
            permit.Approve(number, today, validUntil, opens, due, fee?.Value, fee?.Basis, ctx.Step(today, basis, terms, new
            {
                PermitNumber = number,
                issuedOn = today,
                issueDue = permit.IssueDue,
                deadlineMet,
                issueBasis = terms.IssueWithin.Basis,
                validUntil,
                validity = terms.Validity is { } v ? new { period = v.Value.ToString(), basis = v.Basis, note = v.Note } : null,
                endorsement = new { opens, due, basis = terms.EndorseEvery.Basis },
                fee = new { key = feeKey, yuan = fee?.Value, basis = fee?.Basis, note = fee?.Note, set = fee is not null },
            }));
        }, cancellationToken);
        return saved is not null ? saved : TypedResults.Ok(ctx.ToDto(permit));
    }
}
