using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <param name="Kind">replacement (换领, damaged) or reissue (补领, lost).</param>
/// <param name="OldCardSurrendered">换领: the damaged card was handed back. 补领: the card is lost (ignored).</param>
internal sealed record ReplacePermitCommand(string Kind, Guid PermitId, int? ExpectedVersion, bool OldCardSurrendered, string? Reason);

/// <summary>
/// 换领 (damaged; the old card is handed back, 居住证暂行条例 第十一条) and 补领 (lost): a successor row with a
/// new permit number and the same validity and endorsement state; the old row becomes superseded (the
/// e-permit credential handler revokes its credential). The fee is the policy's for the operation, with its article;
/// null means a card fee whose amount is set elsewhere (by the price authority), which the history says.
/// </summary>
internal sealed class ReplacePermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitDto>> HandleAsync(ReplacePermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var kind = command.Kind;
        var step = kind == PermitKind.Replacement ? "replace" : "reissue";
        var loaded = await store.LoadForUpdateAsync(command.PermitId, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var old, out var failure))
        {
            return failure;
        }

        if (!old.IsOpen(step))
        {
            return PermitFailures.WrongStatus(old, step);
        }

        var today = store.Clock.Today;
        var terms = store.TermsFor(old.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(old.ResidenceDivisionCode);
        }

        // Handing back the old card is required where the policy chain says so (cn-2016 第十一条), not everywhere.
        var surrender = PermitDecisions.OldCardRequired(terms, kind);
        if (surrender.Value && !command.OldCardSurrendered)
        {
            return PermitFailures.Problem(ErrorCode.PermitCardNotSurrendered, "Error_PermitCardNotSurrendered_Detail", PermitCitations.Cite(surrender.Basis));
        }

        // Same validity and endorsement state; a new card, made today.
        var fee = terms.Fees.GetValueOrDefault(kind);
        var successor = Permit.Succeed(old, kind, null, today, store.Lifecycle.IssueDue(terms, old.ResidenceDivisionCode, today, old.RemoteArea),
            new PermitIssue(old.Status)
            {
                DecidedOn = today,
                IssuedOn = today,
                ValidUntil = old.ValidUntil,
                EndorsementAnchor = old.EndorsementAnchor,
                EndorsementsDone = old.EndorsementsDone,
                EndorsementOpens = old.EndorsementOpens,
                EndorsementDue = old.EndorsementDue,
                LeftOn = old.LeftOn,
                FeeYuan = fee?.Value,
                FeeBasis = fee?.Basis,
            }, store.Clock.UtcNow, actor.Label);

        var saved = await SupersedeAsync(store, step, old, successor, terms, new
        {
            predecessorId = old.Id,
            predecessorNumber = old.PermitNumber,
            oldCardSurrendered = command.OldCardSurrendered,
            oldCardRequired = surrender.Value,
            oldCardBasis = kind == PermitKind.Replacement ? surrender.Basis : null,
            validUntil = successor.ValidUntil,
            endorsementDue = successor.EndorsementDue,
            fee = fee?.Value,
            feeBasis = fee?.Basis,
            // null: a card fee whose amount the price authority sets (工本费), not this policy.
            feeNote = fee is null ? null : fee.Note ?? (fee.Value is null ? Messages.Get("Permit_FeeSetElsewhere") : null),
        }, PermitCitations.Basis(fee?.Basis, surrender.Value ? surrender.Basis : null) ?? terms.PolicyId, command.Reason, cancellationToken);
        if (saved is not null)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(successor), ["status", "permitNumber", "fee"]);
        return PermitMapper.ToDto(successor);
    }

    /// <summary>
    /// Supersedes <paramref name="old"/> and inserts <paramref name="successor"/> (issued) in one transaction. The old
    /// row's status is saved first, so the one-permit index never sees two current rows for the person.
    /// </summary>
    internal static async Task<Failure?> SupersedeAsync(
        PermitStore store, string step, Permit old, Permit successor, PermitTerms terms,
        object issuedDetails, string? basis, string? reason, CancellationToken cancellationToken)
    {
        var today = store.Clock.Today;
        old.SupersedeBy(successor, step, store.Step(today, basis, terms,
            new { successorId = successor.Id, kind = successor.Kind }, reason?.Trim()));
        return await store.SaveOnePermitAsync(old.Id, async () =>
        {
            await store.Db.SaveChangesAsync(cancellationToken);
            var number = await CertificateNumbers.NextPermitAsync(store.Db, successor.ResidenceDivisionCode, today.Year, cancellationToken);
            store.Db.Permits.Add(successor);
            successor.IssueAsSuccessor(number, store.Step(today, basis, terms, issuedDetails, reason?.Trim()));
        }, null, cancellationToken);
    }
}
