using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

internal sealed record ApprovePermitCommand(Guid PermitId, int? ExpectedVersion);

/// <summary>
/// The station issues the permit (制作发放). The number comes from the division's JZ series, inside the transaction;
/// validity, the first endorsement window and the fee come from the terms in force today (PermitDecisions.Issue), each
/// with its article; the history records whether the issuance deadline was met.
/// </summary>
internal sealed class ApprovePermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitDto>> HandleAsync(ApprovePermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadOpenAsync(command.PermitId, command.ExpectedVersion, "approve", cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        var today = store.Clock.Today;
        var terms = store.TermsFor(permit.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(permit.ResidenceDivisionCode);
        }

        var issue = PermitDecisions.Issue(store.Lifecycle, terms, PermitMapper.Facts(permit), today);
        var feeKey = permit.Kind == PermitKind.Transitional ? PermitKind.FirstIssue : permit.Kind;
        terms.Fees.TryGetValue(feeKey, out var fee);
        var saved = await store.SaveAsync(permit.Id, async () =>
        {
            // Numbered inside the transaction, so a failed step leaves no gap-free number taken by a rolled-back row.
            var number = await CertificateNumbers.NextPermitAsync(store.Db, permit.ResidenceDivisionCode, today.Year, cancellationToken);
            permit.Approve(number, today, issue.ValidUntil, issue.EndorsementOpens, issue.EndorsementDue, issue.FeeYuan, issue.FeeBasis,
                store.Step(today, issue.Basis, terms, new
                {
                    PermitNumber = number,
                    issuedOn = today,
                    issueDue = permit.IssueDue,
                    issue.DeadlineMet,
                    issueBasis = terms.IssueWithin.Basis,
                    issue.ValidUntil,
                    validity = terms.Validity is { } v ? new { period = v.Value.ToString(), basis = v.Basis, note = v.Note } : null,
                    endorsement = new { opens = issue.EndorsementOpens, due = issue.EndorsementDue, basis = terms.EndorseEvery.Basis },
                    fee = new { key = feeKey, yuan = fee?.Value, basis = fee?.Basis, note = fee?.Note, set = fee is not null },
                }));
        }, cancellationToken);
        if (saved is not null)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["status", "permitNumber", "validUntil", "endorsement", "fee"]);
        return PermitMapper.ToDto(permit);
    }
}
