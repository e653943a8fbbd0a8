using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Compliance;
using Sojourn.Rules.Compliance;

namespace Sojourn.Application.Compliance;

internal sealed record FineRangeDto(int MinYuan, int MaxYuan);

/// <summary>What the policy allows for the missed duty, copied onto the case when it was opened.</summary>
internal sealed record SanctionDto(
    bool OrderToCorrect, int? OrderLimitDays, string? OrderLimitBasis, bool OrderLimitSilent, bool Warning, FineRangeDto? Fine,
    FineRangeDto? SeriousFine, bool FineOnlyIfUncorrected, string? Basis);

/// <summary>The person a case is about, as an official's worklist shows them (name and masked number).</summary>
internal sealed record CasePartyDto(string? Name, string? IdNumber, string? ResidenceAddress, DateOnly? ArrivedOn);

/// <summary>The facts of a hire (用人单位 and 入职日期) on an employer's hire-report case: who hired, and the day the duty ran from.</summary>
internal sealed record CaseHireDto(string EmployerCode, string EmployerName, DateOnly HiredOn);

internal sealed record CaseEventDto(int Number, string Kind, DateOnly On, DateTime At, string Actor, string State, string? Basis, JsonNode? Details);

internal sealed record CaseSummaryDto(
    long Id, string State, string Source, string Duty, string? DutyBasis, DateOnly Due, string DutyStatus, string ResidenceDivision,
    string? StationCode, DateOnly? CorrectBy, string? Outcome, DateOnly OpenedOn, string? PersonName, int Version, string Party = "person");

internal sealed record CaseDto(
    long Id, string State, int Version, string Source, Guid SubjectId, Guid? RegistrationId, string Duty, string Party, string? DutyBasis,
    DateOnly Due, DateOnly? DoneOn, string DutyStatus, CasePartyDto Person, SanctionDto Sanction, JsonNode? Engine, string? Policies,
    DateOnly? OrderedOn, DateOnly? CorrectBy, string? Outcome, int? FineYuan, bool Serious, string? Reason, DateOnly? DecidedOn,
    DateOnly OpenedOn, IReadOnlyList<CaseEventDto> Events, IReadOnlyList<Remedy> Remedies, CaseFactDto? Fact = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] CaseHireDto? Hire = null);

/// <summary>The worklists of a station: new cases, cases waiting on a time limit, cases to decide, closed.</summary>
internal sealed record WorklistQuery(string? State, int? Page, int? PageSize);

internal sealed record IssueOrderCommand(long Id, int? ExpectedVersion, DateOnly? CorrectBy);

internal sealed record DecideCaseCommand(long Id, int? ExpectedVersion, string? Outcome, int? FineYuan, bool Serious, string? Reason);

/// <summary>
/// The compliance case use cases (officials only, within their jurisdiction: the query filter on the cases and the
/// registrations applies to every read and write). Each read of a case declares the person in the ledger.
/// </summary>
internal sealed class ComplianceCaseUseCases(SojournDbContext db, ILegalClock clock, PersonalDataLedger ledger)
{
    private const int MaxPageSize = 200;

    public async Task<Outcome<Registrations.PageDto<CaseSummaryDto>>> WorklistAsync(WorklistQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var size = query.PageSize ?? 50;
        var page = query.Page ?? 1;
        if (query.State is { } s && !CaseState.All.Contains(s))
        {
            return Failure.Validation("state", Messages.Format("Field_OneOf", "state", string.Join(", ", CaseState.All)));
        }

        if (size is < 1 or > MaxPageSize || page < 1)
        {
            return Failure.Validation("pageSize", Messages.Format("Page_SizeRange", MaxPageSize));
        }

        var rows = db.ComplianceCases.AsNoTracking();
        if (query.State is { } state)
        {
            rows = rows.Where(c => c.State == state);
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderBy(c => c.CorrectBy ?? c.Due).ThenBy(c => c.Id)
            .Skip(Registrations.RegistrationRules.Skip(page, size)).Take(size)
            .Select(c => new
            {
                Case = c,
                Name = db.Registrations.Where(r => r.Id == c.RegistrationId).Select(r => r.PersonName).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        foreach (var i in items)
        {
            ledger.Declare(DataAction.List, Person(i.Case), ["name", "complianceCase"]);
        }

        return new Registrations.PageDto<CaseSummaryDto>(
            [.. items.Select(i => new CaseSummaryDto(i.Case.Id, i.Case.State, i.Case.Source, i.Case.Duty, i.Case.DutyBasis, i.Case.Due, i.Case.DutyStatus,
                i.Case.ResidenceDivisionCode, i.Case.StationCode, i.Case.CorrectBy, i.Case.Outcome, i.Case.OpenedOn, i.Name, i.Case.Version, i.Case.Party))],
            page, size, total);
    }

    public async Task<Outcome<CaseDto>> GetAsync(long id, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var c = await db.ComplianceCases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        return c is null ? NotFound() : await DtoAsync(c, cancellationToken);
    }

    public async Task<Outcome<CaseDto>> IssueOrderAsync(IssueOrderCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await LoadForUpdateAsync(command.Id, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var c, out var failure))
        {
            return failure;
        }

        var limit = ComplianceRules.CheckOrder(c, clock.Today, command.CorrectBy);
        if (!limit.TryGetValue(out var correctBy, out var refused))
        {
            return refused;
        }

        db.ComplianceCaseEvents.Add(c.IssueOrder(clock.Today, correctBy, actor.Label, clock.UtcNow));
        return await SaveAsync(c, cancellationToken);
    }

    public async Task<Outcome<CaseDto>> DecideAsync(DecideCaseCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await LoadForUpdateAsync(command.Id, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var c, out var failure))
        {
            return failure;
        }

        var reason = command.Reason?.Trim();
        if (ComplianceRules.CheckDecision(c, command.Outcome, command.FineYuan, command.Serious, reason) is { } refused)
        {
            return refused;
        }

        var outcome = command.Outcome!;
        var fine = outcome == CaseOutcome.Fine ? command.FineYuan : null;
        db.ComplianceCaseEvents.Add(c.Decide(outcome, fine, outcome == CaseOutcome.Fine && command.Serious, reason,
            ComplianceRules.BasisOf(c, outcome), clock.Today, actor.Label, clock.UtcNow));
        return await SaveAsync(c, cancellationToken);
    }

    private async Task<Outcome<CaseDto>> SaveAsync(ComplianceCase c, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            var latest = await db.ComplianceCases.AsNoTracking().Where(x => x.Id == c.Id).Select(x => x.Version).FirstOrDefaultAsync(cancellationToken);
            return Failure.Of(ErrorCode.StaleVersion, "Error_StaleVersion_Detail", latest);
        }

        ledger.Wrote(Person(c), ["complianceCase"]);
        return await DtoAsync(c, cancellationToken);
    }

    private async Task<Outcome<ComplianceCase>> LoadForUpdateAsync(long id, int? expectedVersion, CancellationToken cancellationToken)
    {
        if (Registrations.RegistrationRules.RequireVersion(expectedVersion) is { } noVersion)
        {
            return noVersion;
        }

        var c = await db.ComplianceCases.FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (c is null)
        {
            return NotFound();
        }

        return c.Version != expectedVersion ? Failure.Of(ErrorCode.StaleVersion, "Error_StaleVersion_Detail", c.Version) : c;
    }

    private async Task<CaseDto> DtoAsync(ComplianceCase c, CancellationToken cancellationToken)
    {
        var stay = await db.Registrations.AsNoTracking().Where(r => r.Id == c.RegistrationId)
            .Select(r => new { r.PersonName, r.PersonIdMasked, r.ArrivedOn, r.Version }).FirstOrDefaultAsync(cancellationToken);
        var address = stay is null ? null : await db.RegistrationVersions.AsNoTracking()
            .Where(v => v.RegistrationId == c.RegistrationId && v.Number == stay.Version).Select(v => v.Record.ResidenceAddress).FirstOrDefaultAsync(cancellationToken);
        var events = await db.ComplianceCaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id).OrderBy(e => e.Number).ToListAsync(cancellationToken);
        ledger.Read(Person(c), ["name", "idNumber", "residenceAddress", "arrivedOn", "complianceCase"]);
        var silent = c.OrderToCorrect && c.OrderLimitDays is null;
        var hire = await HireAsync(c, cancellationToken);
        return new CaseDto(c.Id, c.State, c.Version, c.Source, c.SubjectId, c.RegistrationId, c.Duty, c.Party, c.DutyBasis, c.Due, c.DoneOn,
            c.DutyStatus, new CasePartyDto(stay?.PersonName, stay?.PersonIdMasked, address, stay?.ArrivedOn),
            new SanctionDto(c.OrderToCorrect, c.OrderLimitDays, c.OrderLimitBasis, silent, c.Warning,
                c.FineMin is { } a && c.FineMax is { } b ? new FineRangeDto(a, b) : null,
                c.SeriousFineMin is { } sa && c.SeriousFineMax is { } sb ? new FineRangeDto(sa, sb) : null, c.FineOnlyIfUncorrected, c.SanctionBasis),
            JsonNode.Parse(c.Engine), c.Policies, c.OrderedOn, c.CorrectBy, c.Outcome, c.FineYuan, c.Serious, c.Reason, c.DecidedOn, c.OpenedOn,
            [.. events.Select(e => new CaseEventDto(e.Number, e.Kind, e.On, e.At, e.Actor, e.State, e.Basis, e.Details is null ? null : JsonNode.Parse(e.Details)))],
            Rules.Compliance.Remedies.All, await PermitSettlementSource.FactAsync(db, c, cancellationToken), hire);
    }

    /// <summary>
    /// The hire facts of an employer's hire-report case: the establishment (the case's subject) and the hire day, the
    /// day of the event its key ends with (<see cref="ReportComplianceSource.Key"/>), whichever path opened it.
    /// </summary>
    private async Task<CaseHireDto?> HireAsync(ComplianceCase c, CancellationToken cancellationToken)
    {
        if (c.Source != ReportComplianceSource.SourceName || c.Party != "employer" || ReportDeadlines.IsDepartureDuty(c.Duty)
            || !DateOnly.TryParseExact(c.DutyKey[(c.DutyKey.LastIndexOf(':') + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var hiredOn))
        {
            return null;
        }

        var employer = await db.Establishments.AsNoTracking().Where(e => e.Id == c.SubjectId)
            .Select(e => new { e.Code, e.Name }).FirstOrDefaultAsync(cancellationToken);
        return employer is null ? null : new CaseHireDto(employer.Code, employer.Name, hiredOn);
    }

    /// <summary>责令改正通知书 of a case whose order was issued (waiting, or followed up since).</summary>
    public async Task<Outcome<Documents.OfficialDocument>> CorrectionOrderAsync(long id, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var c = await db.ComplianceCases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (c is null)
        {
            return NotFound();
        }

        if (c.OrderedOn is not { } orderedOn || c.CorrectBy is not { } correctBy)
        {
            return Failure.Of(ErrorCode.CaseWrongState, "Error_CaseWrongState_Detail", c.State, "打印责令改正通知书");
        }

        var data = await NoticeAsync(c, "责", orderedOn, cancellationToken);
        var consequence = c.FineOnlyIfUncorrected && c.FineMin is { } min && c.FineMax is { } max
            ? $"逾期不改正的，依据{Permits.PermitCitations.Cite(c.SanctionBasis)}的规定，处{min}元以上{max}元以下罚款。"
            : null;
        return Documents.ComplianceDocuments.CorrectionOrder(data, correctBy, consequence);
    }

    /// <summary>行政处罚决定书 of a case decided with a warning or a fine.</summary>
    public async Task<Outcome<Documents.OfficialDocument>> PenaltyDecisionAsync(long id, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var c = await db.ComplianceCases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (c is null)
        {
            return NotFound();
        }

        if (c.Outcome is not (CaseOutcome.Warning or CaseOutcome.Fine) || c.DecidedOn is not { } decidedOn)
        {
            return Failure.Of(ErrorCode.CaseWrongState, "Error_CaseWrongState_Detail", c.State, "打印行政处罚决定书");
        }

        var data = await NoticeAsync(c, "罚", decidedOn, cancellationToken);
        var decision = c.Outcome == CaseOutcome.Warning
            ? "给予警告。"
            : $"处罚款人民币{c.FineYuan}元{(c.Serious ? "（情节严重）" : "")}。";
        var remedies = Rules.Compliance.Remedies.All;
        var notes = new List<string> { string.Concat(remedies.Select(r => r.Notice)) };
        notes.AddRange(remedies.Select(r => $"{r.Basis}：{r.Text}"));
        return Documents.ComplianceDocuments.PenaltyDecision(data, decision, notes);
    }

    private async Task<Documents.ComplianceNoticeData> NoticeAsync(ComplianceCase c, string kind, DateOnly issuedOn, CancellationToken cancellationToken)
    {
        var dto = await DtoAsync(c, cancellationToken);
        var station = await db.Registrations.AsNoTracking().Where(r => r.Id == c.RegistrationId).Select(r => r.StationName).FirstOrDefaultAsync(cancellationToken);
        var authority = station ?? (Registrations.ReferenceData.DivisionName(c.ResidenceDivisionCode) + "公安机关");
        // A report's case is against the establishment: the notice names it, and the person only in the facts.
        var establishment = c.Source == ReportComplianceSource.SourceName
            ? await db.Establishments.AsNoTracking().Where(e => e.Id == c.SubjectId).Select(e => new { e.Name, e.Address }).FirstOrDefaultAsync(cancellationToken)
            : null;
        var facts = c.Duty switch
        {
            _ when establishment is not null => ReportFacts(c, dto.Person.Name),
            PermitComplianceSource.EndorseDuty => $"你持有的居住证应于{Documents.ComplianceDocuments.Day(c.Due)}前办理签注，逾期未办理。",
            _ when c.DoneOn is { } done => $"你于{Day(dto.Person.ArrivedOn)}到达{dto.Person.ResidenceAddress}居住，应于{Documents.ComplianceDocuments.Day(c.Due)}前申报居住登记，"
                + $"至{Documents.ComplianceDocuments.Day(done)}方申报，超过规定期限。",
            _ => $"你于{Day(dto.Person.ArrivedOn)}到达{dto.Person.ResidenceAddress}居住，应于{Documents.ComplianceDocuments.Day(c.Due)}前申报居住登记，逾期未申报。",
        };
        static string Day(DateOnly? d) => d is { } x ? Documents.ComplianceDocuments.Day(x) : "";
        static List<Documents.LegalBasis> Basis(string? b) => [.. Permits.PermitCitations.Parse(b).Select(x => new Documents.LegalBasis(x.Instrument, x.Article))];
        if (establishment is not null)
        {
            return new Documents.ComplianceNoticeData(authority, $"{c.ResidenceDivisionCode}公（{kind}）字〔{issuedOn.Year}〕第{c.Id}号",
                establishment.Name, null, establishment.Address, facts, Basis(c.DutyBasis), Basis(c.SanctionBasis), issuedOn);
        }

        return new Documents.ComplianceNoticeData(authority, $"{c.ResidenceDivisionCode}公（{kind}）字〔{issuedOn.Year}〕第{c.Id}号",
            dto.Person.Name ?? "", dto.Person.IdNumber, dto.Person.ResidenceAddress, facts, Basis(c.DutyBasis), Basis(c.SanctionBasis), issuedOn);
    }

    /// <summary>The facts of a reporting duty: what the establishment had to report of whom, by when, and when it did.</summary>
    private static string ReportFacts(ComplianceCase c, string? person)
    {
        var what = c.Duty.Split('.').Last() switch
        {
            "report-tenant" => "承租入住",
            "report-departure" => "退租离开",
            "report-hire" => "招用",
            "report-termination" => "终止劳动关系",
            "report-introduction" => "介绍成功",
            _ => "入住",
        };
        var due = Documents.ComplianceDocuments.Day(c.Due);
        return c.DoneOn is { } done
            ? $"你单位应于{due}前向公安机关报送流动人口{person}{what}的信息，至{Documents.ComplianceDocuments.Day(done)}方报送，超过规定期限。"
            : $"你单位应于{due}前向公安机关报送流动人口{person}{what}的信息，逾期未报送。";
    }

    private static PersonRef Person(ComplianceCase c) => new(c.PersonIdHmac, c.ResidenceDivisionCode, c.RegistrationId);

    private static Failure NotFound() => Failure.Of(ErrorCode.CaseNotFound, "Error_CaseNotFound_Detail");
}
