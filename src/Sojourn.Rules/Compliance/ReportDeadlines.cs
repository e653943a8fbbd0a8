using Sojourn.Rules.Evaluation;

namespace Sojourn.Rules.Compliance;

/// <summary>A third party's reporting duty for one event: the duty id, its due day, its status on a day, basis and engine stamp.</summary>
public sealed record ReportDeadline(
    string Duty,
    DateOnly Due,
    string Status,
    string Basis,
    string Policies,
    string EngineVersion,
    IReadOnlyDictionary<string, string> PolicyHashes);

/// <summary>
/// The reporting duty of a landlord, agency, employer, market or institution for one arrival or departure, from the
/// policy in force at the establishment's place on the day of the event — the same reading as a report's timeliness
/// (<c>ReportUseCases</c>), but for an event nobody has reported yet. Null where no layer of the chain gives that party a
/// duty for that event (新疆2011 sets none for departures; 山西2017 none for hotels): the sweep then opens nothing.
/// Pure: no I/O, no clock.
/// </summary>
public static class ReportDeadlines
{
    /// <summary>The parties of the contract that report third-party events (EstablishmentKind.Party in the data layer).</summary>
    public static readonly IReadOnlyList<string> Parties = ["landlord", "agency", "employer", "market", "establishment"];

    /// <summary>The duty ids that a departure report meets (the others meet an arrival).</summary>
    public static bool IsDepartureDuty(string dutyId)
    {
        ArgumentNullException.ThrowIfNull(dutyId);
        return dutyId.EndsWith("report-departure", StringComparison.Ordinal) || dutyId.EndsWith("report-termination", StringComparison.Ordinal);
    }

    /// <summary>
    /// The party's duty to report a departure (move-out, end of employment, end of an agency's letting) on
    /// <paramref name="departedOn"/>, reported on <paramref name="reportedOn"/> (null: not yet), as of <paramref name="asOf"/>.
    /// </summary>
    public static ReportDeadline? Departure(
        string party, PartyKind kind, string division, DateOnly arrivedOn, DateOnly departedOn, DateOnly? reportedOn, DateOnly asOf,
        string? lodging = null, string? hukouDivision = null, Evaluator? evaluator = null) =>
        Evaluate(party, kind, division, arrivedOn, departedOn, reportedOn, asOf, lodging, hukouDivision, departure: true, evaluator);

    /// <summary>The party's duty to report an arrival (move-in, hire, entry, introduction) on <paramref name="arrivedOn"/>.</summary>
    public static ReportDeadline? Arrival(
        string party, PartyKind kind, string division, DateOnly arrivedOn, DateOnly? reportedOn, DateOnly asOf,
        string? lodging = null, string? hukouDivision = null, Evaluator? evaluator = null) =>
        Evaluate(party, kind, division, arrivedOn, arrivedOn, reportedOn, asOf, lodging, hukouDivision, departure: false, evaluator);

    private static ReportDeadline? Evaluate(
        string party, PartyKind kind, string division, DateOnly arrivedOn, DateOnly eventOn, DateOnly? reportedOn, DateOnly asOf,
        string? lodging, string? hukouDivision, bool departure, Evaluator? evaluator)
    {
        ArgumentNullException.ThrowIfNull(party);
        ArgumentNullException.ThrowIfNull(division);
        var engine = evaluator ?? Evaluator.Default;
        // The duty arises on the day of the event: the chain in force then governs it (as for a stay's registration).
        var chain = engine.Catalog.Resolve(null, division, eventOn);
        if (chain is null)
        {
            return null;
        }

        var c = new PolicyCase
        {
            Policy = chain.Ids[0],
            AsOf = asOf,
            ResidenceDivision = division,
            // The person's hukou is not the establishment's duty; a stay the sweep looks at is a floating person's.
            HukouDivision = hukouDivision ?? "110101",
            Category = PersonCategory.Mainland,
            LandlordKind = kind,
            EmployerKind = kind,
        };
        if (Vocabulary.TryParse(lodging, out Lodging l))
        {
            c.Lodging = l;
        }

        c.Set(CaseField.StayArrivedOn, Moment.OfDate(arrivedOn));
        var (from, done) = Fields(party, departure);
        if (from is not { } f)
        {
            return null;
        }

        c.Set(f, Moment.OfDate(eventOn));
        if (reportedOn is { } r && done is { } d)
        {
            c.Set(d, Moment.OfDate(r));
        }

        var result = engine.Evaluate(c, chain);
        foreach (var o in result.Duties)
        {
            var id = o.Duty.Rule.Id;
            // The report is both the landlord's registration (登记, 24 hours) and its report: the report's duty is the latter.
            if (Vocabulary.Name(o.Duty.Rule.Party) != party || IsDepartureDuty(id) != departure || id.EndsWith("register-tenant", StringComparison.Ordinal))
            {
                continue;
            }

            return new ReportDeadline(id, o.Due.Date, DutyStatuses.Of(o.Status), o.Duty.Basis, chain.Key, Evaluator.Version, result.PolicyHashes);
        }

        return null;
    }

    // The contract's case fields of each party's event and report (Policies/README.md, `from` / `doneBy`).
    private static (CaseField? From, CaseField? Done) Fields(string party, bool departure) => (party, departure) switch
    {
        ("landlord", false) => (CaseField.LandlordMovedInAt, CaseField.LandlordReportedOn),
        ("landlord", true) => (CaseField.LandlordMovedOutOn, CaseField.LandlordDepartureReportedOn),
        ("employer", false) => (CaseField.EmployerHiredOn, CaseField.EmployerReportedOn),
        ("employer", true) => (CaseField.EmployerTerminatedOn, CaseField.EmployerTerminationReportedOn),
        ("agency", false) => (CaseField.AgencyIntroducedOn, CaseField.AgencyReportedOn),
        ("agency", true) => (CaseField.AgencyMovedOutOn, CaseField.AgencyDepartureReportedOn),
        ("market", false) => (CaseField.MarketEnteredOn, CaseField.MarketReportedOn),
        ("establishment", false) => (CaseField.EstablishmentEnteredOn, CaseField.EstablishmentReportedOn),
        _ => (null, null),
    };
}
