using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Compliance;
using Sojourn.Data.Reporting;
using Sojourn.Rules.Compliance;

namespace Sojourn.Application.Compliance;

/// <summary>
/// Unreported hires (未按规定申报/报送聘用流动人口; ADR 0009): a stay whose record names a 用人单位 (an establishment of the
/// policies' <c>employer</c> party, by its code) and a 入职日期, with no arrival report from that establishment for that
/// person since the hire. The rules engine gives the duty from the hire day — <c>employer.report-hire</c>,
/// <see cref="ReportDeadlines.Arrival"/> for the employer, the chain in force at the establishment on that day (山西2017
/// 第十五条, 10 days; 宁夏2013 第十二条, 3 working days) — and past due the case is opened against the establishment with the
/// policy's sanction, as a report case: source <see cref="ReportComplianceSource.SourceName"/> and the same key,
/// <c>report:{establishment}:{person}:{duty}:{hire day}</c>, so that a late hire report filed afterwards (the late path,
/// its timeliness computed from the hire day the employer gives) opens nothing twice, and the report cases' follow-up
/// (the day the establishment did report, the notices naming it) applies unchanged. Where no layer of the chain sets a
/// hire duty, nothing is opened.
/// </summary>
internal sealed class HireComplianceSource : IComplianceSource
{
    /// <summary>The sweep's step name; the cases it opens are report cases (<see cref="ReportComplianceSource.SourceName"/>).</summary>
    public const string StepName = "hire";

    public string Name => StepName;

    public async Task<int> OpenCasesAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        var candidates = await (from s in db.Registrations.IgnoreQueryFilters()
                                join e in db.Establishments on s.EmployerCode equals e.Code
                                where s.EmployerCode != null && s.HiredOn != null && e.Kind == EstablishmentKind.Employer
                                select new Candidate(e.Id, e.Kind, e.PartyKind, e.DivisionCode, e.StationCode, s.Id, s.PersonIdHmac, s.HiredOn!.Value))
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }

        // Reported by the employer: an arrival report of the person from that establishment on or after the hire day, or
        // the report the stay itself came from (the late path judges those, or nothing is due).
        var people = candidates.Select(c => c.PersonHmac).Distinct(StringComparer.Ordinal).ToList();
        var reports = new List<(Guid Establishment, string Person, DateOnly Day, Guid? Stay)>();
        foreach (var chunk in people.Chunk(ReportComplianceSource.Batch))
        {
            var rows = await db.ThirdPartyReports.IgnoreQueryFilters().AsNoTracking()
                .Where(r => r.Kind == "arrival" && chunk.Contains(r.PersonIdHmac))
                .Select(r => new { r.EstablishmentId, r.PersonIdHmac, r.OccurredAt, r.RegistrationId }).ToListAsync(cancellationToken);
            reports.AddRange(rows.Select(r => (r.EstablishmentId, r.PersonIdHmac, DateOnly.FromDateTime(r.OccurredAt), r.RegistrationId)));
        }

        // By establishment and person, so that the check is one look-up per candidate, not a scan of every report.
        var byParty = reports.ToLookup(r => (r.Establishment, r.Person));
        var unreported = candidates.Where(c => !byParty[(c.EstablishmentId, c.PersonHmac)]
            .Any(r => r.Day >= c.HiredOn || r.Stay == c.StayId)).ToList();
        await OpenAsync(context, unreported, cancellationToken);
        return candidates.Count;
    }

    /// <summary>Its cases are report cases: <see cref="ReportComplianceSource.DoneAsync"/> follows them up.</summary>
    public Task<IReadOnlyDictionary<long, DateOnly>> DoneAsync(
        ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<long, DateOnly>>(new Dictionary<long, DateOnly>());

    private static async Task OpenAsync(ComplianceSweepContext context, List<Candidate> candidates, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var cache = new Dictionary<(string, string, DateOnly), ReportDeadline?>();
        var cases = new List<ComplianceCase>();
        foreach (var c in candidates.Where(c => context.Reaches(c.Division, c.Station)))
        {
            var party = EstablishmentKind.Party(c.Kind)!;
            var key = (c.PartyKind, c.Division, c.HiredOn);
            if (!cache.TryGetValue(key, out var d))
            {
                d = ReportDeadlines.Arrival(party, ReportComplianceSource.KindOf(c.PartyKind), c.Division, c.HiredOn, null, context.Today);
                cache[key] = d;
            }

            if (d is null || d.Status != DutyStatuses.Overdue)
            {
                continue; // no hire duty under the policy (silent), or not yet due
            }

            cases.Add(ReportComplianceSource.CaseOf(context, d, party, c.PartyKind, c.EstablishmentId, c.StayId, c.PersonHmac, c.Division, c.Station, c.HiredOn));
        }

        await ReportComplianceSource.AddNewAsync(db, cases, cancellationToken);
    }

    private sealed record Candidate(
        Guid EstablishmentId, string Kind, string PartyKind, string Division, string? Station, Guid StayId, string PersonHmac, DateOnly HiredOn);
}
