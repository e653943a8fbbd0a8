using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.Events;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Registrations;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Registrations;
using Sojourn.Data.Reporting;
using Sojourn.Data.Security;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Application.Reporting;

/// <summary>
/// Reports of arrival and departure by landlords, agencies, employers, markets and institutions (山西2017 第十四至十六條,
/// 宁夏 第十二至十五条, 大同 第十三、十四条, 新疆 item 19). Whether a report met its deadline is the rules engine's answer
/// for the establishment's party on the day it is received, never a literal here. An arrival of a person with no open
/// stay at the address declares a pending registration (status declared) that the person or the station completes; a
/// departure ends the open stay at the address. A reporter reports only for an establishment it is linked to, and
/// the residence must lie in that establishment's division (the jurisdiction of writes).
/// </summary>
public sealed class ReportUseCases(
    SojournDbContext db,
    RecordValidator validator,
    ILegalClock clock,
    IdentityProtector protector,
    PolicyService policies,
    PersonalDataLedger ledger,
    UnitOfWork unitOfWork)
{
    public const string Arrival = "arrival";
    public const string Departure = "departure";

    private readonly Dictionary<(Guid, string), Establishment?> _mine = [];

    /// <summary>The establishments the acting reporter answers for.</summary>
    public async Task<Outcome<IReadOnlyList<EstablishmentDto>>> MyEstablishmentsAsync(CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var account = actor.AccountId;
        var list = await db.Establishments.AsNoTracking()
            .Where(e => db.EstablishmentReporters.Any(l => l.EstablishmentId == e.Id && l.AccountId == account))
            .OrderBy(e => e.Code)
            .Select(e => new EstablishmentDto(e.Id, e.Code, e.Name, e.Kind, e.DivisionCode, e.Address))
            .ToListAsync(cancellationToken);
        return list;
    }

    /// <summary>Reports of one of the reporter's establishments (or every one the actor reaches), newest first.</summary>
    public async Task<Outcome<IReadOnlyList<ReportDto>>> ListAsync(Guid? establishmentId, int take, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var q = db.ThirdPartyReports.AsNoTracking();
        if (establishmentId is { } id)
        {
            q = q.Where(r => r.EstablishmentId == id);
        }

        var rows = await q.OrderByDescending(r => r.ReceivedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        foreach (var r in rows)
        {
            ledger.Read(new PersonRef(r.PersonIdHmac, r.DivisionCode, r.RegistrationId), ["name", "idNumber", "arrivedOn"]);
        }

        return rows.Select(r => Dto(r, false, false, false)).ToList();
    }

    public async Task<Outcome<ReportDto>> ReportAsync(ReportCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var prepared = await PrepareAsync(command, actor, cancellationToken);
        if (!prepared.TryGetValue(out var p, out var failure))
        {
            return failure;
        }

        if (p.Existing is { } existing)
        {
            return Dto(existing, false, false, true);
        }

        var created = await ApplyAsync(p, actor, cancellationToken);
        if (await unitOfWork.SaveAsync(null, cancellationToken) is not null)
        {
            // Lost a race: the same report saved first answers as a repeat; another's stay at the address is a conflict.
            var key = p.Report.IdempotencyKey;
            return await db.ThirdPartyReports.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken) is { } first
                ? Dto(first, false, false, true)
                : RegistrationFailures.OpenStayExists();
        }

        ledger.Wrote(new PersonRef(p.Report.PersonIdHmac, p.Report.DivisionCode, p.Report.RegistrationId), p.Fields);
        return Dto(p.Report, created.RegistrationCreated, created.StayEnded, false);
    }

    /// <summary>
    /// Validates a report and computes its timeliness without saving anything: the single report and every batch row go
    /// through this one check. A repeat (same establishment, kind, person and day) comes back as <c>Existing</c>.
    /// </summary>
    public async Task<Outcome<PreparedReport>> PrepareAsync(ReportCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var drafted = await DraftAsync(command, actor, null, cancellationToken);
        if (!drafted.TryGetValue(out var draft, out var failure))
        {
            return failure;
        }

        var existing = await db.ThirdPartyReports.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == draft.Key, cancellationToken);
        if (existing is not null)
        {
            return new PreparedReport(existing, null, draft.Establishment, null, [], existing);
        }

        // The open stay at this address (whoever declared it: a reporter need not see it to report on it).
        var stay = await db.Registrations.IgnoreQueryFilters()
            .FirstOrDefaultAsync(r => r.PersonIdHmac == draft.Hmac && r.ResidenceAddressKey == draft.AddressKey && r.Status != RegistrationStatus.Ended, cancellationToken);
        return Complete(draft, stay, null);
    }

    /// <summary>
    /// <see cref="PrepareAsync"/> for the rows of a batch chunk, with the same rules and the same answers, but the database
    /// asked once per chunk rather than per row: the rooms named, the earlier reports with the rows' keys, the open stays
    /// of the rows' persons and, for departures, those stays' current versions, each in one query. Like a row of
    /// <see cref="PrepareAsync"/> it sees what is saved, not what an earlier row of the chunk added: the caller re-prepares
    /// a row whose person an earlier row touched after saving that row. A null command gives a null entry.
    /// </summary>
    internal async Task<IReadOnlyList<Outcome<PreparedReport>?>> PrepareChunkAsync(
        IReadOnlyList<ReportCommand?> commands, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(actor);
        var roomIds = commands.Select(c => c?.Request.RoomId).OfType<Guid>().Distinct().ToList();
        var rooms = new Dictionary<Guid, (Room Room, House? House)>();
        if (roomIds.Count > 0)
        {
            var found = await db.Rooms.AsNoTracking().Where(r => roomIds.Contains(r.Id)).ToListAsync(cancellationToken);
            var houseIds = found.Select(r => r.HouseId).Distinct().ToList();
            var houses = await db.Houses.AsNoTracking().Where(h => houseIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken);
            foreach (var r in found)
            {
                rooms[r.Id] = (r, houses.GetValueOrDefault(r.HouseId));
            }
        }

        var drafts = new Outcome<ReportDraft>?[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i] is { } command)
            {
                drafts[i] = await DraftAsync(command, actor, rooms, cancellationToken);
            }
        }

        var valid = drafts.Select(d => d is { } o && o.TryGetValue(out var v, out _) ? v : null).OfType<ReportDraft>().ToList();
        var keys = valid.Select(d => d.Key).Distinct(StringComparer.Ordinal).ToList();
        var hmacs = valid.Select(d => d.Hmac).Distinct(StringComparer.Ordinal).ToList();
        var existing = new Dictionary<string, ThirdPartyReport>(StringComparer.Ordinal);
        var stays = new Dictionary<(string, string), Registration>();
        var current = new Dictionary<Guid, RegistrationVersion>();
        if (valid.Count > 0)
        {
            foreach (var r in await db.ThirdPartyReports.IgnoreQueryFilters().AsNoTracking()
                         .Where(r => keys.Contains(r.IdempotencyKey)).ToListAsync(cancellationToken))
            {
                existing.TryAdd(r.IdempotencyKey, r);
            }

            // Tracked, as the single lookup is: a departure ends the stay it finds.
            foreach (var r in await db.Registrations.IgnoreQueryFilters()
                         .Where(r => hmacs.Contains(r.PersonIdHmac) && r.Status != RegistrationStatus.Ended).ToListAsync(cancellationToken))
            {
                stays.TryAdd((r.PersonIdHmac, r.ResidenceAddressKey), r);
            }

            var leaving = valid.Where(d => d.Kind == Departure && stays.ContainsKey((d.Hmac, d.AddressKey)))
                .Select(d => stays[(d.Hmac, d.AddressKey)].Id).Distinct().ToList();
            if (leaving.Count > 0)
            {
                var versions = await (
                    from v in db.RegistrationVersions.IgnoreQueryFilters()
                    join r in db.Registrations.IgnoreQueryFilters() on v.RegistrationId equals r.Id
                    where leaving.Contains(r.Id) && v.Number == r.Version
                    select v).ToListAsync(cancellationToken);
                foreach (var v in versions)
                {
                    current[v.RegistrationId] = v;
                }
            }
        }

        var results = new Outcome<PreparedReport>?[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            if (drafts[i] is not { } drafted)
            {
                continue;
            }

            if (!drafted.TryGetValue(out var draft, out var failure))
            {
                results[i] = failure;
            }
            else if (existing.TryGetValue(draft.Key, out var earlier))
            {
                results[i] = new PreparedReport(earlier, null, draft.Establishment, null, [], earlier);
            }
            else
            {
                var stay = stays.GetValueOrDefault((draft.Hmac, draft.AddressKey));
                results[i] = Complete(draft, stay, stay is null ? null : current.GetValueOrDefault(stay.Id));
            }
        }

        return results;
    }

    /// <summary>
    /// The checks of a report that need no other report or stay: the establishment is the actor's, the fields follow the
    /// declaration's rules, the room is the establishment's; then its key and the address its stay is found at.
    /// <paramref name="rooms"/> holds a chunk's rooms already read (null: read the room here).
    /// </summary>
    private async Task<Outcome<ReportDraft>> DraftAsync(
        ReportCommand command, CurrentActor actor, Dictionary<Guid, (Room Room, House? House)>? rooms, CancellationToken cancellationToken)
    {
        var request = command.Request;
        var errors = new FieldErrors();
        if (request.EstablishmentId is not { } establishmentId || establishmentId == Guid.Empty)
        {
            return Failure.Validation("establishmentId", Messages.Format("Field_Required", Messages.Get("Label_Establishment")));
        }

        var establishment = await EstablishmentOfAsync(establishmentId, actor, cancellationToken);
        var account = actor.AccountId;
        if (establishment is null)
        {
            // Not named: another reporter's establishment is indistinguishable from none.
            return Failure.Of(ErrorCode.EstablishmentNotYours, "Error_EstablishmentNotYours_Detail");
        }

        var kind = request.Kind?.Trim();
        if (kind is not (Arrival or Departure))
        {
            errors.Add("kind", "Field_OneOf", Messages.Get("Label_ReportKind"), "arrival, departure");
        }

        var occurred = ParseOccurred(request.OccurredAt);
        if (occurred is null)
        {
            errors.Add("occurredAt", "Field_Required", Messages.Get("Label_OccurredAt"));
        }
        else if (DateOnly.FromDateTime(occurred.Value) > clock.Today)
        {
            errors.Add("occurredAt", "Field_InFuture", Messages.Get("Label_OccurredAt"));
        }

        Room? room = null;
        House? house = null;
        if (request.RoomId is { } roomId)
        {
            if (rooms is not null)
            {
                (room, house) = rooms.TryGetValue(roomId, out var known) ? known : (null, null);
            }
            else
            {
                room = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roomId, cancellationToken);
                house = room is null ? null : await db.Houses.AsNoTracking().FirstOrDefaultAsync(h => h.Id == room.HouseId, cancellationToken);
            }

            if (house is null || house.LandlordId != establishment.Id)
            {
                errors.Add("roomId", "Report_RoomNotYours");
            }
        }

        var person = request.Person ?? new RecordInput();
        var residenceAddress = house is null ? establishment.Address : $"{house.Address}{room!.Number}室";
        RegistrationRecord? record = null;
        string? hmac = null;
        string? masked = null;
        string? name = person.Name?.Trim();
        if (kind == Arrival && occurred is not null)
        {
            // The same rules as a declaration; the residence is the establishment's (or its room's) unless given.
            var hire = EmployerLookup.IsEmployer(establishment.Kind);
            var input = new RecordInput
            {
                Name = person.Name,
                Sex = person.Sex,
                EthnicGroup = person.EthnicGroup,
                BirthDate = person.BirthDate,
                IdNumber = person.IdNumber,
                HukouDivision = person.HukouDivision,
                HukouAddress = person.HukouAddress,
                ResidenceDivision = person.ResidenceDivision ?? establishment.DivisionCode,
                ResidenceAddress = person.ResidenceAddress ?? residenceAddress,
                Workplace = person.Workplace ?? (hire ? establishment.Name : null),
                // An employer's arrival report is the report of a hire: its event day is the hire day (入职日期), the
                // day `employer.report-hire` runs from; the stay it declares names the employer by its code.
                EmployerCode = person.EmployerCode ?? (hire ? establishment.Code : null),
                HiredOn = person.HiredOn ?? (hire ? DateOnly.FromDateTime(occurred.Value) : null),
                Education = person.Education,
                Employment = person.Employment,
                SocialInsurance = person.SocialInsurance,
                MaritalStatus = person.MaritalStatus,
                MarriageBirthCertificate = person.MarriageBirthCertificate,
                ArrivedOn = person.ArrivedOn ?? DateOnly.FromDateTime(occurred.Value),
                IntendedDays = person.IntendedDays,
                Purpose = person.Purpose,
                Lodging = person.Lodging ?? EstablishmentKind.Lodging(establishment.Kind),
                Children = person.Children,
            };
            var employers = input.EmployerCode == establishment.Code
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [establishment.Code] = establishment.Kind }
                : await EmployerLookup.KindsAsync(db, input.EmployerCode, cancellationToken);
            record = validator.Validate(input, "person.", errors, photoId: null, employers);
            if (record is not null && !record.ResidenceDivisionCode.Equals(establishment.DivisionCode, StringComparison.Ordinal))
            {
                errors.Add("person.residenceDivision", "Report_OutsideEstablishment", establishment.DivisionCode);
            }

            hmac = record?.IdNumberHmac;
            masked = record?.IdNumberMasked;
            name = record?.Name;
        }
        else if (kind == Departure)
        {
            if (!Sojourn.Domain.CitizenId.TryParse(person.IdNumber?.Trim(), clock.Today, out var id, out _))
            {
                errors.Add("person.idNumber", "Field_Required", Messages.Get("Label_IdNumber"));
            }
            else
            {
                hmac = protector.LookupHash(id.Value);
                masked = id.Masked();
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var key = IdempotencyKey(establishment.Id, kind!, hmac!, DateOnly.FromDateTime(occurred!.Value));
        var addressKey = Registration.AddressKey(record?.ResidenceDivisionCode ?? establishment.DivisionCode, record?.ResidenceAddress ?? residenceAddress);
        return new ReportDraft(command, establishment, account, kind!, occurred.Value, room, record, hmac!, masked!, name, key, addressKey);
    }

    /// <summary>The report a draft makes, given the open stay at its address (and that stay's current version, if read).</summary>
    private PreparedReport Complete(ReportDraft d, Registration? stay, RegistrationVersion? current)
    {
        var name = d.Kind == Departure && stay is null ? "" : d.Name;
        var timeliness = Evaluate(d.Establishment, d.Kind, d.Occurred, d.Record, stay);
        var report = ThirdPartyReport.Create(
            Guid.CreateVersion7(), d.Establishment.Id, d.Account.Length == 0 ? null : d.Account, d.Kind, name ?? stay?.PersonName ?? "", d.Hmac, d.Masked,
            d.Establishment.DivisionCode, stay?.Id, d.Room?.Id, d.Occurred, clock.Today, clock.UtcNow,
            timeliness.DutyId, timeliness.Due, timeliness.Status, timeliness.Basis, timeliness.Engine, d.Key, d.Command.ImportJobId);
        string[] fields = d.Kind == Arrival ? ["name", "idNumber", "residenceAddress", "arrivedOn"] : ["idNumber", "departedOn"];
        return new PreparedReport(report, d.Record, d.Establishment, stay, fields, null) { Current = current };
    }

    /// <summary>
    /// The establishment if the actor reports for it (linked to it, or the system), else null. Remembered for the scope:
    /// a batch chunk asks once for its thousand rows.
    /// </summary>
    public async Task<Establishment?> EstablishmentOfAsync(Guid establishmentId, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_mine.TryGetValue((establishmentId, actor.AccountId), out var known))
        {
            return known;
        }

        var establishment = await db.Establishments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == establishmentId, cancellationToken);
        var account = actor.AccountId;
        var linked = establishment is not null && (actor.Scope.Reach == ActorReach.System
            || await db.EstablishmentReporters.AnyAsync(l => l.EstablishmentId == establishmentId && l.AccountId == account, cancellationToken));
        var result = linked ? establishment : null;
        _mine[(establishmentId, account)] = result;
        return result;
    }

    /// <summary>
    /// Adds the prepared report (and the pending registration or the departure) to the context; the caller saves through
    /// the unit of work, where the registration's event appends its version and evaluates its duty.
    /// </summary>
    public async Task<(bool RegistrationCreated, bool StayEnded)> ApplyAsync(PreparedReport prepared, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(actor);
        var report = prepared.Report;
        var declarant = new Declarant("reporter", prepared.Establishment.Name, prepared.Establishment.Kind);
        if (report.Kind == Arrival && prepared.Stay is null && prepared.Record is { } record)
        {
            var (registration, _) = Registration.Declare(Guid.CreateVersion7(), record, declarant, actor.Label, clock.UtcNow);
            // The version row and the person's duty (pending: a reporter's report does not meet it) come from the
            // Declared event's handlers when the unit of work saves.
            db.Registrations.Add(registration);
            db.Entry(registration).Property(SojournDbContext.DeclaredByProperty).CurrentValue = actor.AccountId.Length == 0 ? null : actor.AccountId;
            var withRegistration = WithRegistration(report, registration.Id);
            db.ThirdPartyReports.Add(withRegistration);
            prepared.Report = withRegistration;
            return (true, false);
        }

        if (report.Kind == Departure && prepared.Stay is { } stay && stay.IsOpen)
        {
            var current = prepared.Current is { } read && read.RegistrationId == stay.Id && read.Number == stay.Version
                ? read
                : await db.RegistrationVersions.IgnoreQueryFilters()
                    .FirstAsync(v => v.RegistrationId == stay.Id && v.Number == stay.Version, cancellationToken);
            var departedOn = DateOnly.FromDateTime(report.OccurredAt);
            stay.Depart(current.Record, departedOn < stay.ArrivedOn ? stay.ArrivedOn : departedOn, declarant,
                Messages.Get("Report_DepartureReason"), actor.Label, clock.UtcNow);
            db.ThirdPartyReports.Add(report);
            return (false, true);
        }

        db.ThirdPartyReports.Add(report);
        return (false, false);
    }

    private static ThirdPartyReport WithRegistration(ThirdPartyReport r, Guid registrationId) =>
        ThirdPartyReport.Create(r.Id, r.EstablishmentId, r.AccountId, r.Kind, r.PersonName, r.PersonIdHmac, r.PersonIdMasked, r.DivisionCode,
            registrationId, r.RoomId, r.OccurredAt, r.ReportedOn, r.ReceivedAt, r.DutyId, r.Due, r.Timeliness, r.Basis, r.EngineJson,
            r.IdempotencyKey, r.ImportJobId);

    /// <summary>Key of a report: one establishment, one kind, one person, one day of the event.</summary>
    public static string IdempotencyKey(Guid establishmentId, string kind, string personHmac, DateOnly day) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{establishmentId:N}|{kind}|{personHmac}|{day:yyyy-MM-dd}")));

    private static DateTime? ParseOccurred(string? text)
    {
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd", "yyyy/M/d", "yyyy/M/d H:mm"];
        return DateTime.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? DateTime.SpecifyKind(d, DateTimeKind.Unspecified)
            : null;
    }

    /// <summary>
    /// The engine's answer for the establishment's party: the event and the report day go into the contract's case
    /// under the party's section, and the duty of that party the report meets is read back with its status, due time,
    /// article and the engine stamp. With no such duty in any layer, the report is recorded as <c>no-duty</c>.
    /// </summary>
    private ReportTimelinessDto Evaluate(Establishment establishment, string kind, DateTime occurred, RegistrationRecord? record, Registration? stay)
    {
        var party = EstablishmentKind.Party(establishment.Kind);
        var today = clock.Today;
        var at = occurred.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var day = DateOnly.FromDateTime(occurred).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reported = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var arrivedOn = (record?.ArrivedOn ?? stay?.ArrivedOn ?? DateOnly.FromDateTime(occurred)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var node = new JsonObject
        {
            ["asOf"] = reported,
            ["person"] = new JsonObject
            {
                ["birthDate"] = (record?.BirthDate ?? new DateOnly(1990, 1, 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["sex"] = record?.Sex ?? "male",
                ["category"] = "mainland",
                ["hukouDivision"] = record?.HukouDivisionCode ?? "110101",
            },
            ["stay"] = new JsonObject
            {
                ["residenceDivision"] = establishment.DivisionCode,
                ["arrivedOn"] = arrivedOn,
                ["intendedDays"] = record?.IntendedDays,
                ["purpose"] = record?.Purpose,
                ["lodging"] = record?.Lodging ?? EstablishmentKind.Lodging(establishment.Kind),
            },
        };
        var arrival = kind == Arrival;
        switch (party)
        {
            case "landlord":
                // The system's report is both the landlord's registration (登记) and its report (报告) to the station.
                node["landlord"] = arrival
                    ? new JsonObject { ["kind"] = establishment.PartyKind, ["movedInAt"] = at, ["registeredAt"] = Now(), ["reportedOn"] = reported }
                    : new JsonObject { ["kind"] = establishment.PartyKind, ["movedOutOn"] = day, ["departureReportedOn"] = reported };
                break;
            case "employer":
                node["employer"] = arrival
                    ? new JsonObject { ["kind"] = establishment.PartyKind, ["hiredOn"] = day, ["reportedOn"] = reported }
                    : new JsonObject { ["kind"] = establishment.PartyKind, ["terminatedOn"] = day, ["terminationReportedOn"] = reported };
                break;
            case "agency":
                node["agency"] = arrival
                    ? new JsonObject { ["introducedOn"] = day, ["reportedOn"] = reported }
                    : new JsonObject { ["movedOutOn"] = day, ["departureReportedOn"] = reported };
                break;
            case "market":
                node["market"] = arrival ? new JsonObject { ["enteredOn"] = day, ["reportedOn"] = reported } : null;
                break;
            case "establishment":
                node["establishment"] = arrival ? new JsonObject { ["enteredOn"] = day, ["reportedOn"] = reported } : null;
                break;
            default:
                break;
        }

        using var doc = JsonDocument.Parse(node.ToJsonString());
        var (result, error) = policies.EvaluateOne(doc.RootElement);
        if (result is null)
        {
            return new ReportTimelinessDto(null, null, "no-duty", error?.Message ?? "", "{}");
        }

        var engine = new JsonObject { ["version"] = Evaluator.Version, ["policyHashes"] = Hashes(result.PolicyHashes) }.ToJsonString();
        var departureDuty = new[] { "report-departure", "report-termination" };
        foreach (var d in result.Duties)
        {
            var id = d.Duty.Rule.Id;
            var partyName = Vocabulary.Name(d.Duty.Rule.Party);
            var isDeparture = departureDuty.Any(s => id.EndsWith(s, StringComparison.Ordinal));
            // The report itself is the act: register-tenant (24 hours) is met at the same moment and is not the report's duty.
            if (partyName != party || isDeparture == arrival || id.EndsWith("register-tenant", StringComparison.Ordinal))
            {
                continue;
            }

            var status = d.Status == DutyStatus.Met ? "met" : "late";
            return new ReportTimelinessDto(id, d.Due.ToString(), status, d.Duty.Basis, engine);
        }

        // No duty for this party and event in any layer: the report is recorded; the basis names the policies consulted.
        return new ReportTimelinessDto(null, null, "no-duty", string.Join(",", result.Policies), engine);
    }

    private string Now() =>
        TimeZoneInfo.ConvertTimeFromUtc(clock.UtcNow, LegalClock.ChinaZone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static JsonObject Hashes(IReadOnlyDictionary<string, string> hashes)
    {
        var o = new JsonObject();
        foreach (var (id, hash) in hashes)
        {
            o[id] = hash;
        }

        return o;
    }

    private static ReportDto Dto(ThirdPartyReport r, bool created, bool ended, bool repeated) =>
        new(r.Id, r.EstablishmentId, r.Kind, r.PersonName, r.PersonIdMasked, r.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            r.ReportedOn, r.RegistrationId, created, ended, new ReportTimelinessDto(r.DutyId, r.Due, r.Timeliness, r.Basis, r.EngineJson), repeated);
}

/// <summary>A validated report ready to save, or the earlier report it repeats.</summary>
public sealed class PreparedReport(
    ThirdPartyReport report, RegistrationRecord? record, Establishment establishment, Registration? stay, string[] fields, ThirdPartyReport? existing)
{
    public ThirdPartyReport Report { get; internal set; } = report;
    public RegistrationRecord? Record { get; } = record;
    public Establishment Establishment { get; } = establishment;
    public Registration? Stay { get; } = stay;
    public IReadOnlyList<string> Fields { get; } = fields;
    public ThirdPartyReport? Existing { get; } = existing;

    /// <summary>The stay's current version when a batch read it with the stay (a departure then needs no query of its own).</summary>
    internal RegistrationVersion? Current { get; init; }
}

/// <summary>A report that passed the checks needing no other record: what <c>Complete</c> turns into a report once the stay is known.</summary>
internal sealed record ReportDraft(
    ReportCommand Command, Establishment Establishment, string Account, string Kind, DateTime Occurred, Room? Room, RegistrationRecord? Record,
    string Hmac, string Masked, string? Name, string Key, string AddressKey);
