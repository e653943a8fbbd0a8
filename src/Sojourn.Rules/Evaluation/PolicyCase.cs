namespace Sojourn.Rules.Evaluation;

/// <summary>
/// One person's stay on one day: the contract's case input, parsed and validated
/// (<see cref="CaseParser"/>). Events are kept in one array indexed by <see cref="CaseField"/> so a
/// compiled duty reads its start and its completion by index.
/// </summary>
public sealed class PolicyCase
{
    /// <summary>The policy the case names, or null to resolve by division and date.</summary>
    public string? Policy { get; set; }

    /// <summary>The day the question is asked.</summary>
    public DateOnly AsOf { get; set; }

    /// <summary>Birth date (given or from the identity number).</summary>
    public DateOnly? BirthDate { get; set; }

    /// <summary>person.maritalStatus (unmarried, married, divorced, widowed), or null when the case does not say.</summary>
    public string? MaritalStatus { get; set; }

    /// <summary>Person category.</summary>
    public PersonCategory Category { get; set; }

    /// <summary>Six-digit division of household registration (户籍地).</summary>
    public string? HukouDivision { get; set; }

    /// <summary>Six-digit division of residence.</summary>
    public string ResidenceDivision { get; set; } = "";

    /// <summary>Intended days of stay, if known.</summary>
    public int? IntendedDays { get; set; }

    /// <summary>Purpose of the stay, if known.</summary>
    public StayPurpose? Purpose { get; set; }

    /// <summary>Lodging, if known.</summary>
    public Lodging? Lodging { get; set; }

    /// <summary>stay.area: the development zone the residence lies in, where a policy names such zones (extension).</summary>
    public string? Area { get; set; }

    /// <summary>facts.earlierResidences: registered residences before the current one (extension), for a policy counting continuity.</summary>
    public IReadOnlyList<EarlierResidence> EarlierResidences { get; set; } = [];

    /// <summary>The residence is in a remote area (偏远地区).</summary>
    public bool RemoteArea { get; set; }

    /// <summary>Months of social insurance in the residence.</summary>
    public int SocialInsuranceMonths { get; set; }

    /// <summary>Months of the labour contract.</summary>
    public int LaborContractMonths { get; set; }

    /// <summary>Months the business licence has been held.</summary>
    public int BusinessLicenseMonths { get; set; }

    /// <summary>Months of the agricultural contract.</summary>
    public int AgriculturalContractMonths { get; set; }

    /// <summary>Owns a home in the residence.</summary>
    public bool OwnsHome { get; set; }

    /// <summary>Has a rental contract.</summary>
    public bool RentalContract { get; set; }

    /// <summary>Lives in an employer dormitory.</summary>
    public bool EmployerDormitory { get; set; }

    /// <summary>Enrolled full-time in a school.</summary>
    public bool EnrolledFullTime { get; set; }

    /// <summary>Talent or investor recognised by the local government.</summary>
    public bool TalentOrInvestor { get; set; }

    /// <summary>Holds a marriage and birth certificate (婚育证明).</summary>
    public bool MarriageBirthCertificate { get; set; }

    /// <summary>Landlord kind (individual unless said otherwise).</summary>
    public PartyKind LandlordKind { get; set; } = PartyKind.Individual;

    /// <summary>Employer kind (organization unless said otherwise).</summary>
    public PartyKind EmployerKind { get; set; } = PartyKind.Organization;

    /// <summary>Event times by <see cref="CaseField"/>; <see cref="Has"/> says which are given.</summary>
    public Moment[] Events { get; } = new Moment[CaseFields.Count];

    /// <summary>Bit per <see cref="CaseField"/>: set when the event is given.</summary>
    public int Given { get; set; }

    /// <summary>Endorsement dates (permit.endorsedOn), ascending.</summary>
    public DateOnly[] EndorsedOn { get; set; } = [];

    /// <summary>True when the event is given.</summary>
    public bool Has(CaseField f) => (Given & (1 << (int)f)) != 0;

    /// <summary>Sets an event.</summary>
    public void Set(CaseField f, Moment m)
    {
        Events[(int)f] = m;
        Given |= 1 << (int)f;
    }

    /// <summary>Value of a fact by its YAML name (anyOf conditions).</summary>
    internal int Fact(PermitFact fact) => fact switch
    {
        PermitFact.SocialInsuranceMonths => SocialInsuranceMonths,
        PermitFact.LaborContractMonths => LaborContractMonths,
        PermitFact.BusinessLicenseMonths => BusinessLicenseMonths,
        PermitFact.AgriculturalContractMonths => AgriculturalContractMonths,
        PermitFact.OwnsHome => OwnsHome ? 1 : 0,
        PermitFact.RentalContract => RentalContract ? 1 : 0,
        PermitFact.EmployerDormitory => EmployerDormitory ? 1 : 0,
        PermitFact.EnrolledFullTime => EnrolledFullTime ? 1 : 0,
        PermitFact.TalentOrInvestor => TalentOrInvestor ? 1 : 0,
        _ => 0,
    };
}

/// <summary>Facts that permit conditions test.</summary>
public enum PermitFact
{
    /// <summary>socialInsuranceMonths</summary>
    SocialInsuranceMonths,

    /// <summary>laborContractMonths</summary>
    LaborContractMonths,

    /// <summary>businessLicenseMonths</summary>
    BusinessLicenseMonths,

    /// <summary>agriculturalContractMonths</summary>
    AgriculturalContractMonths,

    /// <summary>ownsHome</summary>
    OwnsHome,

    /// <summary>rentalContract</summary>
    RentalContract,

    /// <summary>employerDormitory</summary>
    EmployerDormitory,

    /// <summary>enrolledFullTime</summary>
    EnrolledFullTime,

    /// <summary>talentOrInvestor</summary>
    TalentOrInvestor,
}

/// <summary>A registered residence before the current one: its division, zone (if any) and registration period.</summary>
public sealed record EarlierResidence(string Division, string? Area, DateOnly RegisteredOn, DateOnly EndedOn);
