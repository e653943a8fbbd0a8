using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;
using Sojourn.Rules.Periods;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <summary>One permit the sweep changed (the registration id also lets the audit name the person).</summary>
public sealed record SweptPermit(Guid PermitId, Guid RegistrationId, string Kind, string StatusAfter, DateOnly EffectiveOn, string? Basis);

/// <summary>What one sweep did, as of its day.</summary>
public sealed record SweepResult(DateOnly AsOf, int Suspended, int Voided, int Expired, IReadOnlyDictionary<string, int> Other, IReadOnlyList<SweptPermit> Changes);

/// <summary>
/// The daily sweep, as of today: a valid or suspended permit past its last day of validity expires; a valid permit
/// whose endorsement is past due becomes suspended or void as the terms in force on its due day say; a departure
/// whose return exception ran out is cancelled. What is due is decided by PermitDecisions, applied by the aggregate,
/// and the side effects (history, credential) follow from the events. Only what is due changes, so running it twice
/// changes nothing more. Runs under the actor's reach: a station chief sweeps their jurisdiction, the hosted service
/// and the CLI (system) everything. The web endpoint, the hosted service and <c>sojourn permit sweep</c> call this.
/// </summary>
public sealed class SweepPermitsUseCase(PermitStore store, PersonalDataLedger ledger)
{
    /// <summary>The key of the departures' count in <see cref="SweepResult.Other"/>.</summary>
    public const string DeparturesCancelled = "departuresCancelled";

    private const int Chunk = 100;

    public async Task<Outcome<SweepResult>> HandleAsync(CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var today = store.Clock.Today;
        var changes = new List<SweptPermit>();

        // Expiry first: a permit past its validity expires rather than being suspended for a missed endorsement.
        var expiring = await store.Db.Permits.AsNoTracking()
            .Where(p => (p.Status == PermitStatus.Valid || p.Status == PermitStatus.Suspended) && p.ValidUntil != null && p.ValidUntil < today)
            .Select(p => p.Id).ToListAsync(cancellationToken);
        if (await InChunksAsync(expiring, p => Expire(p, today, changes), cancellationToken) is { } failure)
        {
            return failure;
        }

        var missed = await store.Db.Permits.AsNoTracking()
            .Where(p => p.Status == PermitStatus.Valid && p.EndorsementDue != null && p.EndorsementDue < today)
            .Select(p => p.Id).ToListAsync(cancellationToken);
        if (await InChunksAsync(missed, p => Lapse(p, today, changes), cancellationToken) is { } lapseFailure)
        {
            return lapseFailure;
        }

        var other = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [DeparturesCancelled] = await CancelLapsedDeparturesAsync(today, cancellationToken),
        };

        return new SweepResult(today,
            changes.Count(c => c.StatusAfter == PermitStatus.Suspended),
            changes.Count(c => c.StatusAfter == PermitStatus.Void),
            changes.Count(c => c.StatusAfter == PermitStatus.Expired),
            other, changes);
    }

    private async Task<Failure?> InChunksAsync(List<Guid> ids, Func<Permit, bool> change, CancellationToken cancellationToken)
    {
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var permits = await store.Db.Permits.Where(p => chunk.Contains(p.Id)).ToListAsync(cancellationToken);
            var changed = permits.Where(change).ToList();
            if (changed.Count == 0)
            {
                continue;
            }

            if (await store.SaveAsync(changed[0].Id, null, cancellationToken) is { } failure)
            {
                return failure;
            }

            changed.ForEach(p => ledger.Wrote(PermitMapper.Person(p), ["status"]));
        }

        return null;
    }

    private bool Expire(Permit permit, DateOnly today, List<SweptPermit> changes)
    {
        if (!permit.IsOpen("expire") || permit.ValidUntil is not { } until)
        {
            return false; // changed since the candidates were listed
        }

        var terms = store.TermsFor(permit.ResidenceDivisionCode, until);
        if (PermitDecisions.Expiry(terms, PermitMapper.Facts(permit), today, permit.PolicyId) is not { } expiry)
        {
            return false;
        }

        permit.Expire(store.Step(expiry.EffectiveOn, expiry.Basis, terms, new { validUntil = until }));
        var basis = permit.Kind == PermitKind.Transitional ? terms?.EarlierPermitsStayValid.Basis : terms?.Validity?.Basis;
        changes.Add(new SweptPermit(permit.Id, permit.RegistrationId, PermitEventKind.Expired, permit.Status, expiry.EffectiveOn, basis));
        return true;
    }

    private bool Lapse(Permit permit, DateOnly today, List<SweptPermit> changes)
    {
        if (permit.EndorsementDue is not { } due)
        {
            return false;
        }

        // The law in force on the day the endorsement fell due decides what missing it does.
        var terms = store.TermsFor(permit.ResidenceDivisionCode, due);
        if (terms is null || PermitDecisions.MissedEndorsement(terms, PermitMapper.Facts(permit), today) is not { } lapse)
        {
            return false; // changed since the candidates were listed, or no policy
        }

        permit.MissEndorsement(lapse.StatusAfter == PermitStatus.Void, store.Step(lapse.EffectiveOn, lapse.Basis, terms, new
        {
            year = permit.EndorsementsDone + 1,
            window = new { opens = permit.EndorsementOpens, due },
            effect = lapse.StatusAfter,
            note = lapse.Note,
        }));
        changes.Add(new SweptPermit(permit.Id, permit.RegistrationId, PermitEventKind.EndorsementMissed, permit.Status, lapse.EffectiveOn, lapse.Basis));
        return true;
    }

    /// <summary>
    /// Cancels the permits whose holder left and did not come back within the return exception (a departure only stays
    /// pending where there is one). Each permit is saved on its own, so a permit changed meanwhile (stale) is left for
    /// the next run. Returns how many were cancelled.
    /// </summary>
    private async Task<int> CancelLapsedDeparturesAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var ids = await store.Db.Permits.AsNoTracking()
            .Where(p => p.LeftOn != null && p.LeftOn < asOf && (p.Status == PermitStatus.Valid || p.Status == PermitStatus.Suspended))
            .Select(p => p.Id).ToListAsync(cancellationToken);
        var count = 0;
        foreach (var id in ids)
        {
            var permit = await store.FindAsync(id, cancellationToken);
            if (permit?.LeftOn is not { } leftOn || store.TermsFor(permit.ResidenceDivisionCode, leftOn) is not { } terms)
            {
                continue;
            }

            if (PermitDecisions.Departure(store.Lifecycle, terms, permit.ResidenceDivisionCode, leftOn, asOf).CancellationPending)
            {
                continue;
            }

            var details = new Dictionary<string, object?> { ["ground"] = "left", ["final"] = false, ["sweep"] = true };
            var basis = PermitSteps.Departure(store.Lifecycle, terms, permit, leftOn, asOf, details);
            permit.Cancel(null, store.Step(leftOn, basis, terms, details));
            if (await store.SaveAsync(permit.Id, null, cancellationToken) is null)
            {
                ledger.Wrote(PermitMapper.Person(permit), ["status"]);
                count++;
            }
        }

        return count;
    }
}

/// <summary>What several permit steps record alike (departure and cancellation details).</summary>
internal static class PermitSteps
{
    /// <summary>The cancellation-on-leaving window (before leaving) and the return exception, into a step's details; the basis.</summary>
    public static string Departure(
        PermitLifecycle lifecycle, PermitTerms terms, Permit permit, DateOnly leftOn, DateOnly today, Dictionary<string, object?> details)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(permit);
        ArgumentNullException.ThrowIfNull(details);
        details["leftOn"] = leftOn;
        if (terms.CancelBeforeLeaving is { } before)
        {
            details["cancelOpens"] = PeriodMath.WindowStart(leftOn, before.Value);
            details["cancelDue"] = leftOn;
            details["cancelLate"] = today > leftOn;
        }

        if (terms.ReturnException is { } exception)
        {
            details["returnException"] = Describe(exception.Value);
            details["returnBy"] = lifecycle.Due(exception, permit.ResidenceDivisionCode, leftOn);
        }

        return PermitDecisions.Departure(lifecycle, terms, permit.ResidenceDivisionCode, leftOn, today).Basis;
    }

    /// <summary>A period as the history shows it: {"amount": 30, "unit": "days"}.</summary>
    public static object Describe(Period period) => new { amount = period.Amount, unit = Period.UnitName(period.Unit) };
}
