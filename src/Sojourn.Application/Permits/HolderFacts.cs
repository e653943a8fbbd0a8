using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Compliance;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Rules.Divisions;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <param name="Kind">settled | died | withdrawn (only as a correction: the current fact was recorded in error).</param>
/// <param name="On">The day of settling (登记为常住户口之日) or of death; not after today. Not asked for a withdrawal (today).</param>
/// <param name="HukouDivisionCode">Settled: the GB/T 2260 division of the 户口登记机关.</param>
/// <param name="DocumentRef">The source document's reference (落户 notice, 死亡证明 …).</param>
/// <param name="SupersedesId">The row this one corrects (the old one stays), with <paramref name="Reason"/>.</param>
internal sealed record RecordHolderFactCommand(
    Guid PermitId, string? Kind, DateOnly? On, string? HukouDivisionCode, string? DocumentRef, long? SupersedesId, string? Reason);

/// <summary>The station's follow-up the fact calls for under the policy in force on its day; null where the policy is silent.</summary>
internal sealed record HolderFactFollowUpDto(DateOnly Due, string Basis, string? Note, bool NoPeriod);

internal sealed record HolderFactDto(
    long Id, string Kind, DateOnly On, string? HukouDivisionCode, string? HukouDivisionName, string DocumentRef, long? SupersedesId,
    string? Reason, bool Current, Guid PermitId, DateOnly RecordedOn, DateTime RecordedAt, string RecordedBy, HolderFactFollowUpDto? FollowUp);

/// <summary>
/// A station officer records, on a permit's holder, that they settled 常住户口 at the residence or died, from a document
/// (issue 14). Kept as history: a correction is a new row superseding the old one with a reason, never an update. Reached
/// through the permit (the permits' jurisdiction: another station's permit is not found), declared in the ledger. The
/// compliance sweep (PermitSettlementSource) reads the current fact.
/// </summary>
internal sealed class HolderFactUseCases(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<HolderFactDto>> RecordAsync(RecordHolderFactCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var db = store.Db;
        var permit = await store.FindAsync(command.PermitId, cancellationToken);
        if (permit is null)
        {
            return PermitFailures.NotFound();
        }

        // Every field's fault at once, named as the request names it; nothing is saved on any.
        var today = store.Clock.Today;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var kind = command.Kind?.Trim();
        if (kind is null || !HolderFactKind.All.Contains(kind))
        {
            errors["kind"] = [Messages.Format("HolderFact_KindInvalid", string.Join(" | ", HolderFactKind.All))];
        }

        var on = today; // a withdrawal is dated the day it is recorded
        if (kind == HolderFactKind.Withdrawn)
        {
            if (command.SupersedesId is null)
            {
                errors["kind"] = [Messages.Format("HolderFact_WithdrawnNeedsCurrent", "kind")];
            }
        }
        else if (command.On is not { } given)
        {
            errors["on"] = [Messages.Format("Permit_FieldRequired", "on")];
        }
        else if (given > today)
        {
            errors["on"] = [Messages.Format("HolderFact_DayInFuture", "on")];
        }
        else
        {
            on = given;
        }

        var hukou = string.IsNullOrWhiteSpace(command.HukouDivisionCode) ? null : command.HukouDivisionCode.Trim();
        if (kind == HolderFactKind.Settled)
        {
            if (hukou is null)
            {
                errors["hukouDivisionCode"] = [Messages.Format("Permit_FieldRequired", "hukouDivisionCode")];
            }
            else if (DivisionTable.Default.Find(hukou) is null)
            {
                errors["hukouDivisionCode"] = [Messages.Format("HolderFact_DivisionUnknown", "hukouDivisionCode")];
            }
        }

        var document = command.DocumentRef?.Trim();
        if (string.IsNullOrEmpty(document))
        {
            errors["documentRef"] = [Messages.Format("Permit_FieldRequired", "documentRef")];
        }

        var reason = command.Reason?.Trim();
        if (command.SupersedesId is not null && string.IsNullOrEmpty(reason))
        {
            errors["reason"] = [Messages.Format("Permit_FieldRequired", "reason")];
        }

        if (errors.Count > 0)
        {
            return Failure.Validation(errors);
        }

        // One current fact per person: a second one corrects the current one, naming it; a row is corrected once.
        var current = await CurrentAsync(db, permit.PersonIdHmac, cancellationToken);
        HolderFact? superseded = null;
        if (command.SupersedesId is { } old)
        {
            superseded = await db.HolderFacts.AsNoTracking().FirstOrDefaultAsync(f => f.Id == old && f.PersonIdHmac == permit.PersonIdHmac, cancellationToken);
            if (superseded is null || current?.Id != superseded.Id
                || (kind == HolderFactKind.Withdrawn && superseded.Kind == HolderFactKind.Withdrawn))
            {
                return Failure.Of(ErrorCode.HolderFactConflict, "Error_HolderFactConflict_NotCurrent", old, current?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
            }
        }
        else if (current is not null)
        {
            return Failure.Of(ErrorCode.HolderFactConflict, "Error_HolderFactConflict_Exists", current.Id).With("currentId", current.Id);
        }

        var fact = HolderFact.Record(permit, kind!, on, hukou, document!, superseded, reason, today, store.Clock.UtcNow, actor.Label);
        db.HolderFacts.Add(fact);
        if (await store.SaveAsync(permit.Id, null, cancellationToken,
                e => e.InnerException?.Message.Contains("SupersedesId", StringComparison.Ordinal) == true
                    ? Failure.Of(ErrorCode.HolderFactConflict, "Error_HolderFactConflict_NotCurrent", command.SupersedesId, "-")
                    : null) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["holderFact." + fact.Kind]);
        return ToDto(fact, true, permit.ResidenceDivisionCode);
    }

    /// <summary>The facts recorded on the permit's holder, newest first, each with the follow-up it calls for.</summary>
    public async Task<Outcome<IReadOnlyList<HolderFactDto>>> ListAsync(Guid permitId, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var db = store.Db;
        var permit = await db.Permits.AsNoTracking().FirstOrDefaultAsync(p => p.Id == permitId, cancellationToken);
        if (permit is null)
        {
            return PermitFailures.NotFound();
        }

        var facts = await db.HolderFacts.AsNoTracking().Where(f => f.PersonIdHmac == permit.PersonIdHmac)
            .OrderByDescending(f => f.Id).ToListAsync(cancellationToken);
        var superseded = facts.Where(f => f.SupersedesId is not null).Select(f => f.SupersedesId!.Value).ToHashSet();
        ledger.Read(PermitMapper.Person(permit), ["holderFacts"]);
        return Outcome.Success<IReadOnlyList<HolderFactDto>>([.. facts.Select(f => ToDto(f, !superseded.Contains(f.Id), f.ResidenceDivisionCode))]);
    }

    /// <summary>The person's current fact (the row no other row supersedes), in the caller's reach.</summary>
    internal static Task<HolderFact?> CurrentAsync(SojournDbContext db, string personIdHmac, CancellationToken cancellationToken) =>
        db.HolderFacts.AsNoTracking()
            .Where(f => f.PersonIdHmac == personIdHmac && !db.HolderFacts.Any(n => n.SupersedesId == f.Id))
            .OrderByDescending(f => f.Id).FirstOrDefaultAsync(cancellationToken);

    private HolderFactDto ToDto(HolderFact f, bool current, string division)
    {
        var terms = store.TermsFor(division, f.On);
        var followUp = terms is null ? null : PermitSettlementSource.FollowUp(store.Lifecycle, terms, division, f.Kind, f.On);
        var note = followUp is null ? null : PermitSettlementSource.Note(terms, f.Kind);
        return new HolderFactDto(f.Id, f.Kind, f.On, f.HukouDivisionCode,
            f.HukouDivisionCode is null ? null : DivisionTable.Default.Find(f.HukouDivisionCode)?.FullName, f.DocumentRef, f.SupersedesId, f.Reason,
            current, f.PermitId, f.RecordedOn, f.RecordedAt, f.RecordedBy,
            followUp is null ? null : new HolderFactFollowUpDto(followUp.Due, followUp.Basis, note, followUp.NoPeriod));
    }
}
