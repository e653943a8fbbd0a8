using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

internal sealed record RenewPermitCommand(Guid PermitId, int? ExpectedVersion, string? Reason);

/// <summary>
/// 到期换领 (renewal before expiry), in two steps on purpose. The one-permit index counts an application
/// (applied) and a valid permit alike, so a successor row cannot wait for review beside the valid old one;
/// and superseding the old row at application would revoke a card that is still good. So the application
/// is recorded on the SAME row (event <c>renewal-applied</c>, with the issuance deadline; the permit stays
/// valid), and the station's issue step supersedes the old row and inserts the successor (Kind renewal,
/// status valid, new number, validity from the issue day) in one transaction, old row first.
/// </summary>
internal sealed class RenewPermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    /// <summary>A renewal applied for on the old row (it stays valid until the successor is issued).</summary>
    public const string RenewalApplied = "renewal-applied";

    public async Task<Outcome<PermitDto>> ApplyAsync(RenewPermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadOpenAsync(command.PermitId, command.ExpectedVersion, "renew", cancellationToken);
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

        if (permit.ValidUntil is not { } validUntil)
        {
            return PermitFailures.Problem(ErrorCode.PermitNoExpiry, "Error_PermitNoExpiry_Detail", terms.Validity?.Basis ?? terms.PolicyId);
        }

        // Only a window (「期满前N日内」) bars an early application; where the policy sets none (a deadline
        // 「期满N日前」 as 山西2013 第二十條, or nothing as 山西2017 第三十八條), any time before expiry. A missed
        // deadline makes the application late, not inadmissible (PermitDecisions.Renewal).
        var renewal = PermitDecisions.Renewal(store.Lifecycle, terms, PermitMapper.Facts(permit) with { IssuedOn = permit.IssuedOn ?? permit.AppliedOn },
            validUntil, today);
        var windowBasis = terms.RenewWithin?.Basis ?? terms.Validity?.Basis ?? terms.PolicyId;
        if (!renewal.Open)
        {
            return PermitFailures.OutsideWindow("renew", renewal.Opens, validUntil, windowBasis);
        }

        if (await PendingAsync(permit, cancellationToken) is not null)
        {
            return PermitFailures.Problem(ErrorCode.PermitRenewalPending, "Error_PermitRenewalPending_Detail");
        }

        // The renewal rests on the residence still registered (居住证明).
        var registrationOpen = await store.Db.Registrations.IgnoreQueryFilters()
            .AnyAsync(r => r.Id == permit.RegistrationId && r.Status == RegistrationStatus.Confirmed, cancellationToken);
        if (!registrationOpen)
        {
            return Failure.Of(ErrorCode.PermitRegistrationNotConfirmed, "Error_PermitRegistrationNotConfirmed_Detail");
        }

        var issueDue = store.Lifecycle.IssueDue(terms, permit.ResidenceDivisionCode, today, permit.RemoteArea);
        var issueBasis = (permit.RemoteArea && terms.IssueWithinRemote is { } remote ? remote : terms.IssueWithin).Basis;
        permit.ApplyForRenewal(store.Step(today, PermitCitations.Basis(windowBasis, terms.RenewBy?.Basis, issueBasis), terms,
            new RenewalApplication(renewal.Opens, validUntil, windowBasis, issueDue, issueBasis, renewal.Deadline, terms.RenewBy?.Basis, renewal.Late),
            command.Reason?.Trim()));
        if (await store.SaveAsync(permit.Id, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["renewal"]);
        return PermitMapper.ToDto(permit);
    }

    /// <summary>The station issues the renewal: the old row superseded, the successor valid from today (201 with the new permit).</summary>
    public async Task<Outcome<PermitDto>> IssueAsync(RenewPermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadForUpdateAsync(command.PermitId, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var old, out var failure))
        {
            return failure;
        }

        // The sweep may have expired the old permit while the renewal waited: it is still issued.
        if (!old.IsOpen("renew-issue"))
        {
            return PermitFailures.WrongStatus(old, "renew");
        }

        if (await PendingAsync(old, cancellationToken) is not { } application)
        {
            return PermitFailures.Problem(ErrorCode.PermitRenewalPending, "Error_PermitNoRenewal_Detail");
        }

        var today = store.Clock.Today;
        var terms = store.TermsFor(old.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(old.ResidenceDivisionCode);
        }

        var (opens, due) = store.Lifecycle.Endorsement(terms, today, 1);
        var fee = terms.Fees.GetValueOrDefault(PermitKind.Renewal);
        var successor = Permit.Succeed(old, PermitKind.Renewal, terms.PolicyId, application.EffectiveOn, application.IssueDue, new PermitIssue(PermitStatus.Valid)
        {
            DecidedOn = today,
            IssuedOn = today,
            ValidUntil = store.Lifecycle.ValidUntil(terms, today),
            EndorsementAnchor = today,
            EndorsementOpens = opens,
            EndorsementDue = due,
            FeeYuan = fee?.Value,
            FeeBasis = fee?.Basis,
        }, store.Clock.UtcNow, actor.Label);

        var saved = await ReplacePermitUseCase.SupersedeAsync(store, "renew-issue", old, successor, terms, new
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
        }, PermitCitations.Basis(terms.Validity?.Basis, terms.EndorseEvery.Basis, fee?.Basis), command.Reason, cancellationToken);
        if (saved is not null)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(successor), ["status", "permitNumber", "validUntil", "endorsement", "fee"]);
        return PermitMapper.ToDto(successor);
    }

    /// <summary>The renewal applied for on this row and not yet issued (the issue supersedes the row), or null.</summary>
    private async Task<(DateOnly EffectiveOn, DateOnly IssueDue)?> PendingAsync(Permit permit, CancellationToken cancellationToken)
    {
        var applied = await store.Db.PermitEvents.AsNoTracking()
            .Where(e => e.PermitId == permit.Id && e.Kind == RenewalApplied)
            .OrderByDescending(e => e.Number).FirstOrDefaultAsync(cancellationToken);
        if (applied?.Details is null)
        {
            return null;
        }

        var application = JsonSerializer.Deserialize<RenewalApplication>(applied.Details, PermitHistoryHandler.JsonOptions)!;
        return (applied.EffectiveOn, application.IssueDue);
    }

    private sealed record RenewalApplication(
        DateOnly WindowOpens, DateOnly ValidUntil, string WindowBasis, DateOnly IssueDue, string IssueDueBasis,
        DateOnly? Deadline = null, string? DeadlineBasis = null, bool Late = false);
}
