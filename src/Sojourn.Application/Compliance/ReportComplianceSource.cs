using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Compliance;
using Sojourn.Data.Registrations;
using Sojourn.Data.Reporting;
using Sojourn.Rules.Compliance;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Application.Compliance;

/// <summary>
/// Third parties' reports: a case against the establishment (landlord, agency, employer, market, institution) for each
/// reporting duty of the rules engine that was met late or is still undone, with the sanction the policy sets for that
/// party, that duty and the establishment's kind (个人/单位). The case names the establishment as its subject
/// (<see cref="ComplianceCase.SubjectId"/>), the person by the stay and the lookup hash. One duty instance, one key:
/// <c>report:{establishment}:{person}:{duty}:{day of the event}</c>, whichever way the sweep found it, so a late report
/// filed after an unreported departure's case opens nothing new.
/// <list type="bullet">
/// <item>Late reports: the timeliness stored on each report (the engine's answer on the day it was received), opened
/// set-based — one INSERT … SELECT per duty, chain and party kind.</item>
/// <item>Unreported departures: a stay that an establishment reported the arrival of, ended since (by the person, the
/// station or another reporter) with no departure report from that establishment — landlords and agencies (their
/// reports of a move-out); the engine gives the duty and its due day from the departure day. An employer's duty is a
/// termination of employment, which the end of a stay does not show: not inferred.</item>
/// <item>Unreported tenants: a stay at the address of a landlord's house or room (the address key), declared by the
/// person or the station, with no arrival report from that landlord.</item>
/// </list>
/// The last two evaluate candidates one by one (each is a stay with a reporter's trail, few beside the stays).
/// </summary>
internal sealed class ReportComplianceSource : IComplianceSource
{
    public const string SourceName = "report";
    internal const int Batch = 500;

    public string Name => SourceName;

    /// <summary>The duty key of one reporting duty instance (lower-case ids, as the SQL of the late reports writes them).</summary>
    public static string Key(Guid establishmentId, string personHmac, string duty, DateOnly eventOn) =>
        string.Create(CultureInfo.InvariantCulture, $"report:{establishmentId:D}:{personHmac}:{duty}:{eventOn:yyyy-MM-dd}");

    public async Task<int> OpenCasesAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evaluated = await OpenLateAsync(context, cancellationToken);
        evaluated += await OpenUnreportedDeparturesAsync(context, cancellationToken);
        evaluated += await OpenUnreportedTenantsAsync(context, cancellationToken);
        return evaluated;
    }

    public async Task<IReadOnlyDictionary<long, DateOnly>> DoneAsync(
        ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(waiting);
        var establishments = waiting.Select(c => c.SubjectId).Distinct().ToList();
        var reports = await context.Db.ThirdPartyReports.IgnoreQueryFilters().AsNoTracking()
            .Where(r => establishments.Contains(r.EstablishmentId) && r.DutyId != null)
            .Select(r => new { r.EstablishmentId, r.PersonIdHmac, r.DutyId, r.ReportedOn }).ToListAsync(cancellationToken);
        var result = new Dictionary<long, DateOnly>();
        foreach (var c in waiting)
        {
            // The establishment has since reported this person for this duty: the day it did.
            var done = reports.Where(r => r.EstablishmentId == c.SubjectId && r.PersonIdHmac == c.PersonIdHmac && r.DutyId == c.Duty)
                .Select(r => (DateOnly?)r.ReportedOn).Min();
            if (done is { } d)
            {
                result[c.Id] = d;
            }
        }

        return result;
    }

    /// <summary>The contract's party kind of an establishment (some articles fine 个人 and 单位 differently).</summary>
    public static PartyKind KindOf(string partyKind) =>
        Vocabulary.TryParse(partyKind, out PartyKind k) ? k : PartyKind.Organization;

    private static async Task<int> OpenLateAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var groups = await (from r in db.ThirdPartyReports.IgnoreQueryFilters()
                            join e in db.Establishments on r.EstablishmentId equals e.Id
                            where r.Timeliness == DutyStatuses.Late && r.DutyId != null
                            group r by new { r.DutyId, r.EngineJson, e.PartyKind, r.DivisionCode } into g
                            select new { g.Key.DutyId, g.Key.EngineJson, g.Key.PartyKind, g.Key.DivisionCode, First = g.Min(x => x.ReportedOn), Count = g.Count() })
            .ToListAsync(cancellationToken);
        var pg = context.IsPostgres;
        foreach (var group in groups)
        {
            var chain = ChainOf(group.DivisionCode, group.First, group.EngineJson);
            var duty = group.DutyId!;
            var s = chain is null ? null : SanctionTerms.For(chain, duty, KindOf(group.PartyKind));
            var a = new List<object> { duty, group.EngineJson, group.PartyKind, group.DivisionCode, context.Today, context.Now, context.Actor };
            var where = context.Reach("e", a, "DivisionCode");
            var establishment = pg ? "e.\"Id\"::text" : "lower(e.\"Id\")";
            var eventDay = pg ? "to_char(r.\"OccurredAt\", 'YYYY-MM-DD')" : "substr(r.\"OccurredAt\", 1, 10)";
            var due = pg ? "CAST(substr(r.\"Due\", 1, 10) AS date)" : "substr(r.\"Due\", 1, 10)";
            var sql = new StringBuilder()
                .Append(CaseSanction.Columns)
                .Append(CultureInfo.InvariantCulture, $"SELECT 'report:' || {establishment} || ':' || r.\"PersonIdHmac\" || ':' || r.\"DutyId\" || ':' || {eventDay}, '{SourceName}', ")
                .Append("e.\"Id\", r.\"RegistrationId\", r.\"PersonIdHmac\", e.\"DivisionCode\", e.\"StationCode\", r.\"DutyId\", ")
                .Append(CultureInfo.InvariantCulture, $"{ComplianceSweepContext.Text(duty.Split('.')[0])}, r.\"Basis\", {due}, r.\"ReportedOn\", '{DutyStatuses.Late}', ")
                .Append(CaseSanction.SqlValues(s))
                .Append(CultureInfo.InvariantCulture, $"{ComplianceSweepContext.Text(chain)}, r.\"EngineJson\", '{CaseState.New}', FALSE, {{4}}, {{5}}, {{6}}, {{5}}, 1 ")
                .Append("FROM \"ThirdPartyReports\" r JOIN \"Establishments\" e ON e.\"Id\" = r.\"EstablishmentId\" ")
                .Append(CultureInfo.InvariantCulture, $"WHERE r.\"Timeliness\" = '{DutyStatuses.Late}' AND r.\"DutyId\" = {{0}} AND r.\"EngineJson\" = {{1}} AND e.\"PartyKind\" = {{2}} ")
                .Append(CultureInfo.InvariantCulture, $"AND r.\"DivisionCode\" = {{3}} AND r.\"Due\" IS NOT NULL AND {where} ")
                .Append("ON CONFLICT (\"DutyKey\") DO NOTHING");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), a, cancellationToken);
        }

        return groups.Sum(g => g.Count);
    }

    private static async Task<int> OpenUnreportedDeparturesAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        string[] kinds = [EstablishmentKind.Landlord, EstablishmentKind.RentalAgency, EstablishmentKind.JobAgency];
        var candidates = await (from r in db.ThirdPartyReports.IgnoreQueryFilters()
                                join e in db.Establishments on r.EstablishmentId equals e.Id
                                join s in db.Registrations.IgnoreQueryFilters() on r.RegistrationId equals (Guid?)s.Id
                                where r.Kind == "arrival" && kinds.Contains(e.Kind) && s.Status == RegistrationStatus.Ended && s.DepartedOn != null
                                    && !db.ThirdPartyReports.IgnoreQueryFilters().Any(d => d.EstablishmentId == r.EstablishmentId
                                        && d.PersonIdHmac == r.PersonIdHmac && d.Kind == "departure" && d.OccurredAt >= r.OccurredAt)
                                select new Candidate(e.Id, e.Kind, e.PartyKind, e.DivisionCode, e.StationCode, s.Id, s.PersonIdHmac, s.ArrivedOn, s.DepartedOn!.Value))
            .ToListAsync(cancellationToken);
        await OpenAsync(context, candidates, departure: true, cancellationToken);
        return candidates.Count;
    }

    private static async Task<int> OpenUnreportedTenantsAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        // Every address a landlord lets: its own, its houses', its rooms' (as a report writes them: 地址 + 房号 + 室).
        var landlords = await db.Establishments.AsNoTracking().Where(e => e.Kind == EstablishmentKind.Landlord).ToListAsync(cancellationToken);
        if (landlords.Count == 0)
        {
            return 0;
        }

        var houses = await db.Houses.AsNoTracking().Where(h => h.LandlordId != null).ToListAsync(cancellationToken);
        var houseIds = houses.Select(h => h.Id).ToList();
        var rooms = await db.Rooms.AsNoTracking().Where(r => houseIds.Contains(r.HouseId)).ToListAsync(cancellationToken);
        var byKey = new Dictionary<string, Establishment>(StringComparer.Ordinal);
        foreach (var e in landlords)
        {
            byKey.TryAdd(Registration.AddressKey(e.DivisionCode, e.Address), e);
        }

        var byId = landlords.ToDictionary(e => e.Id);
        foreach (var h in houses)
        {
            if (byId.TryGetValue(h.LandlordId!.Value, out var e))
            {
                byKey.TryAdd(Registration.AddressKey(h.DivisionCode, h.Address), e);
                foreach (var room in rooms.Where(r => r.HouseId == h.Id))
                {
                    byKey.TryAdd(Registration.AddressKey(h.DivisionCode, $"{h.Address}{room.Number}室"), e);
                }
            }
        }

        var candidates = new List<Candidate>();
        foreach (var chunk in byKey.Keys.Chunk(Batch))
        {
            var stays = await db.Registrations.IgnoreQueryFilters().AsNoTracking().Where(s => chunk.Contains(s.ResidenceAddressKey))
                .Select(s => new { s.Id, s.PersonIdHmac, s.ArrivedOn, s.ResidenceAddressKey }).ToListAsync(cancellationToken);
            foreach (var s in stays)
            {
                var e = byKey[s.ResidenceAddressKey];
                candidates.Add(new Candidate(e.Id, e.Kind, e.PartyKind, e.DivisionCode, e.StationCode, s.Id, s.PersonIdHmac, s.ArrivedOn, s.ArrivedOn));
            }
        }

        // Reported by the landlord at all (on time, late, or as the stay's origin): the late path or nothing.
        var people = candidates.Select(c => c.PersonHmac).Distinct().ToList();
        var reported = new HashSet<(Guid, string)>();
        foreach (var chunk in people.Chunk(Batch))
        {
            var rows = await db.ThirdPartyReports.IgnoreQueryFilters().AsNoTracking().Where(r => r.Kind == "arrival" && chunk.Contains(r.PersonIdHmac))
                .Select(r => new { r.EstablishmentId, r.PersonIdHmac }).ToListAsync(cancellationToken);
            reported.UnionWith(rows.Select(r => (r.EstablishmentId, r.PersonIdHmac)));
        }

        var unreported = candidates.Where(c => !reported.Contains((c.EstablishmentId, c.PersonHmac))).ToList();
        await OpenAsync(context, unreported, departure: false, cancellationToken);
        return candidates.Count;
    }

    private static async Task OpenAsync(ComplianceSweepContext context, List<Candidate> candidates, bool departure, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var cache = new Dictionary<(string, string, string, DateOnly), ReportDeadline?>();
        var cases = new List<ComplianceCase>();
        foreach (var c in candidates.Where(c => context.Reaches(c.Division, c.Station)))
        {
            var party = EstablishmentKind.Party(c.Kind)!;
            var key = (party, c.PartyKind, c.Division, c.EventOn);
            if (!cache.TryGetValue(key, out var d))
            {
                d = departure
                    ? ReportDeadlines.Departure(party, KindOf(c.PartyKind), c.Division, c.ArrivedOn, c.EventOn, null, context.Today, EstablishmentKind.Lodging(c.Kind))
                    : ReportDeadlines.Arrival(party, KindOf(c.PartyKind), c.Division, c.EventOn, null, context.Today, EstablishmentKind.Lodging(c.Kind));
                cache[key] = d;
            }

            if (d is null || d.Status != DutyStatuses.Overdue)
            {
                continue; // no such duty under the policy (silent), or not yet due
            }

            cases.Add(CaseOf(context, d, party, c.PartyKind, c.EstablishmentId, c.StayId, c.PersonHmac, c.Division, c.Station, c.EventOn));
        }

        await AddNewAsync(db, cases, cancellationToken);
    }

    /// <summary>
    /// The case of a third party's overdue report duty (<paramref name="d"/>, from the engine), against the establishment,
    /// with the policy's sanction for its kind; keyed <see cref="Key"/> by the day of the event the duty runs from.
    /// </summary>
    internal static ComplianceCase CaseOf(
        ComplianceSweepContext context, ReportDeadline d, string party, string partyKind, Guid establishmentId, Guid stayId,
        string personHmac, string division, string? station, DateOnly eventOn) =>
        CaseSanction.Apply(new ComplianceCase
        {
            DutyKey = Key(establishmentId, personHmac, d.Duty, eventOn),
            Source = SourceName,
            SubjectId = establishmentId,
            RegistrationId = stayId,
            PersonIdHmac = personHmac,
            ResidenceDivisionCode = division,
            StationCode = station,
            Duty = d.Duty,
            Party = party,
            DutyBasis = d.Basis,
            Due = d.Due,
            DutyStatus = DutyStatuses.Overdue,
            Policies = d.Policies,
            Engine = RegistrationDuties.Stamp(d.EngineVersion, d.PolicyHashes),
            OpenedOn = context.Today,
            OpenedAt = context.Now,
            OpenedBy = context.Actor,
            UpdatedAt = context.Now,
            Version = 1,
        }, SanctionTerms.For(d.Policies, d.Duty, KindOf(partyKind)));

    /// <summary>Saves the cases whose key no case has yet (running the sweep twice opens nothing twice), in batches.</summary>
    internal static async Task AddNewAsync(Sojourn.Data.SojournDbContext db, List<ComplianceCase> cases, CancellationToken cancellationToken)
    {
        foreach (var chunk in cases.Chunk(Batch))
        {
            var keys = chunk.Select(c => c.DutyKey).ToList();
            var existing = (await db.ComplianceCases.IgnoreQueryFilters().AsNoTracking().Where(c => keys.Contains(c.DutyKey))
                .Select(c => c.DutyKey).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            db.ComplianceCases.AddRange(chunk.Where(c => !existing.Contains(c.DutyKey)).DistinctBy(c => c.DutyKey));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>The chain a report was evaluated under: the one in force at its place on its day, checked against its stamp.</summary>
    private static string? ChainOf(string division, DateOnly reportedOn, string engineJson)
    {
        var chain = PolicyCatalog.Default.Resolve(null, division, reportedOn);
        if (chain is null)
        {
            return null;
        }

        var stamped = (JsonNode.Parse(engineJson)?["policyHashes"] as JsonObject)?.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return stamped is null || stamped.SetEquals(chain.Ids) ? chain.Key : null;
    }

    private sealed record Candidate(
        Guid EstablishmentId, string Kind, string PartyKind, string Division, string? Station, Guid StayId, string PersonHmac, DateOnly ArrivedOn, DateOnly EventOn);
}
