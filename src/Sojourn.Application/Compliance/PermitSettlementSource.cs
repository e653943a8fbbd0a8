using Microsoft.EntityFrameworkCore;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Compliance;
using Sojourn.Data.Permits;
using Sojourn.Rules.Compliance;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Compliance;

/// <summary>The recorded fact a settlement or death case rests on, with the article that calls for the cancellation.</summary>
internal sealed record CaseFactDto(
    string Kind, DateOnly On, string? HukouDivisionCode, string? HukouDivisionName, string DocumentRef, DateOnly RecordedOn, string RecordedBy,
    string? Basis, string? Note);

/// <summary>
/// Permits to cancel after the holder settled 常住户口 or died (issue 14): a valid or suspended permit whose holder's
/// current fact (<see cref="HolderFact"/>, recorded by the station from a document) is a settlement more than the
/// policy's period ago (山西2017 第十八条第三款: 自登记为常住户口之日起10日内, <see cref="PermitCancellation.AfterSettling"/>) or
/// a death (第十八条第二款, 山西2013 第十九条, 大同 第二十一条: who cancels, no period — due on the day of death,
/// <see cref="PermitCancellation.AfterDeath"/>). The case is the station's follow-up (party station, no sanction: the
/// measures fine nobody for it); cancelling the permit closes it (the next sweep), or the station dismisses it with the
/// reason. Silent policies (山西2013 and 大同 on settling, cn-2016, 宁夏, 新疆 …) open nothing. Key:
/// <c>permit:{permit}:station.cancel-permit:{settled|died}:{day}</c>, distinct from a departure's.
/// </summary>
internal sealed class PermitSettlementSource(PersonalDataLedger ledger) : IComplianceSource
{
    public const string SourceName = "permit-settle";

    public string Name => SourceName;

    public static string Key(Guid permitId, string kind, DateOnly on) => $"permit:{permitId}:{PermitCancellation.Duty}:{kind}:{on:yyyy-MM-dd}";

    /// <summary>The fact a case of this source rests on (the row its key names, as recorded); null for other sources.</summary>
    public static async Task<CaseFactDto?> FactAsync(SojournDbContext db, ComplianceCase c, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(c);
        if (c.Source != SourceName)
        {
            return null;
        }

        // Read where the case is: the case itself is in the caller's reach, and so is the fact it names.
        var facts = await db.HolderFacts.IgnoreQueryFilters().AsNoTracking().Where(f => f.PersonIdHmac == c.PersonIdHmac)
            .OrderByDescending(f => f.Id).ToListAsync(cancellationToken);
        var f = facts.FirstOrDefault(f => Key(c.SubjectId, f.Kind, f.On) == c.DutyKey);
        if (f is null)
        {
            return null;
        }

        var terms = PermitLifecycle.Default.Terms(c.ResidenceDivisionCode, f.On);
        var note = Note(terms, f.Kind);
        return new CaseFactDto(f.Kind, f.On, f.HukouDivisionCode,
            f.HukouDivisionCode is null ? null : Rules.Divisions.DivisionTable.Default.Find(f.HukouDivisionCode)?.FullName,
            f.DocumentRef, f.RecordedOn, f.RecordedBy, c.DutyBasis, note);
    }

    public async Task<int> OpenCasesAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        var today = context.Today;
        await CloseDoneAsync(context, cancellationToken);

        // The current fact of each holder (the row nobody supersedes) beside their still current permit.
        var candidates = await (from f in db.HolderFacts.IgnoreQueryFilters()
                                join p in db.Permits.IgnoreQueryFilters() on f.PersonIdHmac equals p.PersonIdHmac
                                where (p.Status == PermitStatus.Valid || p.Status == PermitStatus.Suspended)
                                    && f.On <= today
                                    && f.Kind != HolderFactKind.Withdrawn
                                    && !db.HolderFacts.IgnoreQueryFilters().Any(n => n.SupersedesId == f.Id)
                                select new
                                {
                                    p.Id,
                                    p.RegistrationId,
                                    p.PersonIdHmac,
                                    p.ResidenceDivisionCode,
                                    p.StationCode,
                                    f.Kind,
                                    f.On,
                                })
            .ToListAsync(cancellationToken);
        candidates = [.. candidates.Where(c => context.Reaches(c.ResidenceDivisionCode, c.StationCode))];
        // A permit already followed up by an open case of this source (e.g. before a correction of the fact) gets no second one.
        var ids = candidates.Select(c => c.Id).ToList();
        var keys = candidates.Select(c => Key(c.Id, c.Kind, c.On)).ToList();
        var taken = await db.ComplianceCases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => keys.Contains(c.DutyKey) || (c.Source == SourceName && ids.Contains(c.SubjectId) && c.State != CaseState.Closed))
            .Select(c => new { c.DutyKey, c.SubjectId }).ToListAsync(cancellationToken);
        var lifecycle = PermitLifecycle.Default;
        foreach (var c in candidates.Where(c => !taken.Any(t => t.DutyKey == Key(c.Id, c.Kind, c.On) || t.SubjectId == c.Id)))
        {
            // The law in force on the day of settling or of death decides whether it calls for a cancellation, and when.
            if (lifecycle.Terms(c.ResidenceDivisionCode, c.On) is not { } terms
                || FollowUp(lifecycle, terms, c.ResidenceDivisionCode, c.Kind, c.On) is not { } followUp
                || !PermitCancellation.Overdue(followUp, today))
            {
                continue; // silent, or the holder's own period still runs
            }

            db.ComplianceCases.Add(PermitCancellationSource.FollowUpCase(
                context, Key(c.Id, c.Kind, c.On), SourceName, c.Id, c.RegistrationId, c.PersonIdHmac, c.ResidenceDivisionCode, c.StationCode, followUp, terms));
        }

        await db.SaveChangesAsync(cancellationToken);
        return candidates.Count;
    }

    /// <summary>Done when the permit is cancelled, as for a departure: the same follow-up.</summary>
    public Task<IReadOnlyDictionary<long, DateOnly>> DoneAsync(
        ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken) =>
        PermitCancellationSource.DoneWhenCancelledAsync(context, waiting, cancellationToken);

    /// <summary>
    /// The station's follow-up a holder fact calls for under <paramref name="terms"/> (the law in force on its day); null
    /// where the policy is silent, and for a withdrawn fact (nothing follows from it).
    /// </summary>
    internal static CancellationFollowUp? FollowUp(PermitLifecycle lifecycle, PermitTerms terms, string division, string kind, DateOnly on) => kind switch
    {
        HolderFactKind.Settled => PermitCancellation.AfterSettling(lifecycle, terms, division, on),
        HolderFactKind.Died => PermitCancellation.AfterDeath(lifecycle, terms, division, on),
        _ => null,
    };

    /// <summary>The note of the article the follow-up of a <paramref name="kind"/> fact rests on.</summary>
    internal static string? Note(PermitTerms? terms, string kind) =>
        kind == HolderFactKind.Settled ? terms?.CancelAfterSettling?.Note : terms?.DeathReportedBy.Note;

    // Nobody orders the station to do its own follow-up: a case not waiting on an order closes when the permit is
    // cancelled (the waiting ones go through DoneAsync and the sweep's follow-up, like every source's).
    private async Task CloseDoneAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var open = await db.ComplianceCases
            .Where(c => c.Source == SourceName && (c.State == CaseState.New || c.State == CaseState.ToDecide))
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return;
        }

        var done = await PermitCancellationSource.CancelledAsync(context, [.. open.Select(c => c.SubjectId).Distinct()], cancellationToken);
        foreach (var c in open.Where(c => done.ContainsKey(c.SubjectId)))
        {
            db.ComplianceCaseEvents.Add(CaseSteps.Correct(c, done[c.SubjectId], context.Today, context.Actor, context.Now));
            ledger.Wrote(new PersonRef(c.PersonIdHmac, c.ResidenceDivisionCode, c.RegistrationId), ["complianceCase.state"]);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
