namespace Sojourn.Rules.Evaluation;

/// <summary>The case's event fields a duty can start from or be done by (policy YAML <c>from</c>/<c>doneBy</c>).</summary>
public enum CaseField
{
    /// <summary>stay.arrivedOn</summary>
    StayArrivedOn,

    /// <summary>facts.registeredOn</summary>
    FactsRegisteredOn,

    /// <summary>facts.changedOn (extension)</summary>
    FactsChangedOn,

    /// <summary>facts.changeReportedOn (extension)</summary>
    FactsChangeReportedOn,

    /// <summary>facts.marriageBirthCertificateSubmittedOn (extension)</summary>
    FactsMarriageBirthCertificateSubmittedOn,

    /// <summary>landlord.movedInAt</summary>
    LandlordMovedInAt,

    /// <summary>landlord.registeredAt</summary>
    LandlordRegisteredAt,

    /// <summary>landlord.reportedOn</summary>
    LandlordReportedOn,

    /// <summary>landlord.movedOutOn</summary>
    LandlordMovedOutOn,

    /// <summary>landlord.departureReportedOn</summary>
    LandlordDepartureReportedOn,

    /// <summary>employer.hiredOn</summary>
    EmployerHiredOn,

    /// <summary>employer.reportedOn</summary>
    EmployerReportedOn,

    /// <summary>employer.terminatedOn</summary>
    EmployerTerminatedOn,

    /// <summary>employer.terminationReportedOn</summary>
    EmployerTerminationReportedOn,

    /// <summary>market.enteredOn</summary>
    MarketEnteredOn,

    /// <summary>market.reportedOn</summary>
    MarketReportedOn,

    /// <summary>permit.appliedOn</summary>
    PermitAppliedOn,

    /// <summary>permit.issuedOn</summary>
    PermitIssuedOn,

    /// <summary>permit.endorsedOn (a list; see <see cref="PolicyCase.EndorsedOn"/>)</summary>
    PermitEndorsedOn,

    /// <summary>agency.introducedOn (extension: the day an agency's introduction succeeded, 介绍成功)</summary>
    AgencyIntroducedOn,

    /// <summary>agency.reportedOn (extension)</summary>
    AgencyReportedOn,

    /// <summary>agency.movedOutOn (extension: the day the person the agency placed left)</summary>
    AgencyMovedOutOn,

    /// <summary>agency.departureReportedOn (extension)</summary>
    AgencyDepartureReportedOn,

    /// <summary>establishment.enteredOn (extension: check-in at a hotel, admission to a hospital, a boarding school or a relief station)</summary>
    EstablishmentEnteredOn,

    /// <summary>establishment.reportedOn (extension)</summary>
    EstablishmentReportedOn,
}

/// <summary>Names of <see cref="CaseField"/> as written in JSON and YAML.</summary>
public static class CaseFields
{
    /// <summary>Number of fields.</summary>
    public const int Count = (int)CaseField.EstablishmentReportedOn + 1;

    private static readonly string[] Names =
    [
        "stay.arrivedOn", "facts.registeredOn", "facts.changedOn", "facts.changeReportedOn",
        "facts.marriageBirthCertificateSubmittedOn", "landlord.movedInAt", "landlord.registeredAt",
        "landlord.reportedOn", "landlord.movedOutOn", "landlord.departureReportedOn", "employer.hiredOn",
        "employer.reportedOn", "employer.terminatedOn", "employer.terminationReportedOn", "market.enteredOn",
        "market.reportedOn", "permit.appliedOn", "permit.issuedOn", "permit.endorsedOn",
        "agency.introducedOn", "agency.reportedOn", "agency.movedOutOn", "agency.departureReportedOn",
        "establishment.enteredOn", "establishment.reportedOn",
    ];

    /// <summary>The dotted path (<c>landlord.movedInAt</c>).</summary>
    public static string Name(CaseField f) => Names[(int)f];

    /// <summary>Parses a dotted path.</summary>
    public static bool TryParse(string? s, out CaseField f)
    {
        var i = s is null ? -1 : Array.IndexOf(Names, s);
        f = (CaseField)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>All names, for messages.</summary>
    public static string All => string.Join(", ", Names);
}
