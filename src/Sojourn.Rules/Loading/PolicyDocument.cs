using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Loading;

/// <summary>One policy file as loaded and validated: a regulation version and its values with articles.</summary>
public sealed record PolicyDocument
{
    /// <summary>Policy id (<c>shanxi-2017</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Title (zh-CN).</summary>
    public required string Title { get; init; }

    /// <summary>Issuing authority.</summary>
    public required string Authority { get; init; }

    /// <summary>Document number, where known.</summary>
    public string? DocumentNumber { get; init; }

    /// <summary>Where the text comes from.</summary>
    public string? Source { get; init; }

    /// <summary><c>article</c>, <c>item</c> or <c>outline</c>.</summary>
    public required string Citation { get; init; }

    /// <summary>Division code prefixes; empty when nationwide.</summary>
    public required IReadOnlyList<string> Territory { get; init; }

    /// <summary>True for the national baseline.</summary>
    public bool Nationwide => Territory.Count == 0;

    /// <summary>First day in force.</summary>
    public required DateOnly InForceFrom { get; init; }

    /// <summary>Last day in force, or null.</summary>
    public DateOnly? InForceUntil { get; init; }

    /// <summary>The policy layered beneath, or null.</summary>
    public string? Parent { get; init; }

    /// <summary>Choices made where the text is ambiguous.</summary>
    public IReadOnlyList<Decision> Decisions { get; init; } = [];

    /// <summary>Scope keys set by this file.</summary>
    public ScopeRules Scope { get; init; } = new();

    /// <summary>Duties set by this file (a null value removes an inherited duty).</summary>
    public IReadOnlyDictionary<string, DutyRule?> Duties { get; init; } = new Dictionary<string, DutyRule?>();

    /// <summary>Sanctions for missed duties.</summary>
    public IReadOnlyList<SanctionRule> Sanctions { get; init; } = [];

    /// <summary>Permit keys set by this file.</summary>
    public PermitRules Permit { get; init; } = new();

    /// <summary>Permit lifecycle keys set by this file.</summary>
    public LifecycleRules Lifecycle { get; init; } = new();

    /// <summary>Residence registration keys set by this file (<c>registration:</c>).</summary>
    public RegistrationRules Registration { get; init; } = new();

    /// <summary>Officials' access to personal data: purpose limitation, confidentiality, departments' duties (<c>dataAccess:</c>).</summary>
    public DataAccessRules DataAccess { get; init; } = new();

    /// <summary>Entitlements, or null when inherited.</summary>
    public IReadOnlyList<EntitlementRule>? Entitlements { get; init; }

    /// <summary>Sanctioned acts not tied to a duty.</summary>
    public IReadOnlyList<OffenceRule> Offences { get; init; } = [];

    /// <summary>Resource or file name it was loaded from.</summary>
    public required string FileName { get; init; }

    /// <summary>Line of <c>inForce</c> in the file (for load errors).</summary>
    public long InForceLine { get; init; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the file's bytes.</summary>
    public required string Hash { get; init; }

    /// <summary>True when in force on <paramref name="day"/>.</summary>
    public bool InForceOn(DateOnly day) => day >= InForceFrom && (InForceUntil is null || day <= InForceUntil);

    /// <summary>Length of the longest territory prefix covering <paramref name="division"/>, 0 for nationwide, -1 if none.</summary>
    public int Specificity(string division)
    {
        if (Nationwide)
        {
            return 0;
        }

        var best = -1;
        foreach (var p in Territory)
        {
            if (division.StartsWith(p, StringComparison.Ordinal) && p.Length > best)
            {
                best = p.Length;
            }
        }

        return best;
    }
}

/// <summary>A recorded interpretation choice.</summary>
public sealed record Decision(string Key, string Choice, string Reason);

/// <summary>Scope keys; null = not set by this file.</summary>
public sealed record ScopeRules
{
    /// <summary>Crossing level (county or prefecture).</summary>
    public Sourced<CrossingLevel>? Crossing { get; init; }

    /// <summary>Moves between urban districts of one prefecture are not floating.</summary>
    public Sourced<bool>? SameCityDistrictsExcluded { get; init; }

    /// <summary>Groups of divisions inside which moves are not floating.</summary>
    public Sourced<IReadOnlyList<IReadOnlyList<string>>>? NotFloatingWithin { get; init; }

    /// <summary>Minimum intended days.</summary>
    public Sourced<int>? MinimumStayDays { get; init; }

    /// <summary>Categories not covered.</summary>
    public Sourced<IReadOnlySet<PersonCategory>>? ExcludedCategories { get; init; }
}

/// <summary>County (跨县) or prefecture (其他城市).</summary>
public enum CrossingLevel
{
    /// <summary>Leaving the hukou's county, district or county-level city.</summary>
    County,

    /// <summary>Leaving the hukou's prefecture-level city.</summary>
    Prefecture,
}

/// <summary>A value with the article (of its own file) it comes from; see Permits.Cited for the resolved basis.</summary>
public sealed record Sourced<T>(T Value, string Article, string? Note = null);

/// <summary>A duty with its period.</summary>
public sealed record DutyRule
{
    /// <summary>Duty id.</summary>
    public required string Id { get; init; }

    /// <summary>Who owes it.</summary>
    public required Party Party { get; init; }

    /// <summary>Event that starts the period.</summary>
    public required CaseField From { get; init; }

    /// <summary>Field that records the act.</summary>
    public required CaseField DoneBy { get; init; }

    /// <summary>The period (null for recurring duties).</summary>
    public Period? Period { get; init; }

    /// <summary>The period in remote areas.</summary>
    public Period? RemotePeriod { get; init; }

    /// <summary>Recurrence (annual endorsement).</summary>
    public Period? Every { get; init; }

    /// <summary>Window before each recurring due date.</summary>
    public Period? Window { get; init; }

    /// <summary><c>suspended</c> or <c>void</c>: effect of a missed endorsement.</summary>
    public string? Lapse { get; init; }

    /// <summary><c>from-late-endorsement</c> or <c>continuous</c>: how residence years count after a late endorsement.</summary>
    public string? LateYears { get; init; }

    /// <summary>Minimum intended days for the duty to exist.</summary>
    public int? WhenMinIntendedDays { get; init; }

    /// <summary>Minimum age for the duty to exist.</summary>
    public int? WhenMinAge { get; init; }

    /// <summary>Marital statuses for which the duty exists (新疆2008 计划生育办法 第二条 已婚); null: any. A case without the status does not meet it.</summary>
    public IReadOnlyList<string>? WhenMaritalStatus { get; init; }

    /// <summary>Exemptions.</summary>
    public IReadOnlyList<Exemption> Exemptions { get; init; } = [];

    /// <summary>Article.</summary>
    public required string Article { get; init; }

    /// <summary>Note.</summary>
    public string? Note { get; init; }
}

/// <summary>Who does not owe a duty.</summary>
public sealed record Exemption
{
    /// <summary>Exempt lodgings.</summary>
    public IReadOnlySet<Lodging>? Lodging { get; init; }

    /// <summary>Exempt purposes.</summary>
    public IReadOnlySet<StayPurpose>? Purposes { get; init; }

    /// <summary>Exempt below this age.</summary>
    public int? BelowAge { get; init; }

    /// <summary>Exempt categories.</summary>
    public IReadOnlySet<PersonCategory>? Categories { get; init; }

    /// <summary>Article.</summary>
    public required string Article { get; init; }

    /// <summary>Note.</summary>
    public string? Note { get; init; }
}

/// <summary>A fine range in yuan.</summary>
public sealed record FineRange(int MinYuan, int MaxYuan);

/// <summary>What an article does when a duty is missed.</summary>
public sealed record SanctionRule
{
    /// <summary>Duties sanctioned.</summary>
    public required IReadOnlyList<string> Duties { get; init; }

    /// <summary>Who is sanctioned.</summary>
    public required Party Party { get; init; }

    /// <summary>Only for this kind of landlord/employer.</summary>
    public PartyKind? PartyKind { get; init; }

    /// <summary>Order to correct.</summary>
    public bool OrderToCorrect { get; init; }

    /// <summary>Warning first.</summary>
    public bool Warning { get; init; }

    /// <summary>Fine, or null.</summary>
    public FineRange? Fine { get; init; }

    /// <summary>Fine for serious cases, or null.</summary>
    public FineRange? SeriousFine { get; init; }

    /// <summary>Fine only if the order to correct is not met.</summary>
    public bool FineOnlyIfUncorrected { get; init; }

    /// <summary>
    /// The time limit of the order to correct (责令限期改正): a period with its article, or silent (the article orders a
    /// limit without naming it; the officer sets it in the order). Null where the file does not say.
    /// </summary>
    public LifecycleValue<Periods.Period?>? OrderTimeLimit { get; init; }

    /// <summary>Article.</summary>
    public required string Article { get; init; }

    /// <summary>Note.</summary>
    public string? Note { get; init; }
}

/// <summary>Permit keys; null = not set by this file.</summary>
public sealed record PermitRules
{
    /// <summary>Article answering "may apply".</summary>
    public string? Article { get; init; }

    /// <summary>Residence duration condition.</summary>
    public ResidenceCondition? Residence { get; init; }

    /// <summary>At least one of these.</summary>
    public Sourced<IReadOnlyList<FactCondition>>? AnyOf { get; init; }

    /// <summary>Facts that waive residence and anyOf.</summary>
    public Sourced<IReadOnlyList<PermitFact>>? WaivedBy { get; init; }

    /// <summary>Minimum age.</summary>
    public Sourced<int>? MinAge { get; init; }

    /// <summary>Categories that may hold the permit.</summary>
    public Sourced<IReadOnlySet<PersonCategory>>? Categories { get; init; }

    /// <summary>Purposes that may not apply.</summary>
    public Sourced<IReadOnlySet<StayPurpose>>? ExcludedPurposes { get; init; }

    /// <summary>Validity.</summary>
    public Sourced<Period>? Validity { get; init; }

    /// <summary>Fees.</summary>
    public IReadOnlyList<Fee>? Fees { get; init; }

    /// <summary>
    /// This layer's <c>residence</c> and <c>anyOf</c> bind every more specific layer that came into force
    /// before this policy (a higher-ranking regulation over older local rules); null = not a floor.
    /// </summary>
    public FloorRule? Floor { get; init; }
}

/// <summary>A permit floor (<c>permit.floor</c>): the article of the conditions that bind older local rules.</summary>
public sealed record FloorRule(string Article, string? Note);

/// <summary>Residence counted from registration, or declared intended days.</summary>
public sealed record ResidenceCondition(Period? Period, int? MinIntendedDays, string Article, string? Note)
{
    /// <summary>How earlier residences count towards the period (台州 二(二)1); null: from the current registration only.</summary>
    public ResidenceContinuity? Continuity { get; init; }
}

/// <summary>
/// Residence continues across registrations (<c>within: county</c>: an earlier registration in the same county that
/// ended no earlier than the day before the next began) and across counties inside one of the named
/// <paramref name="SameArea"/> zones (视为同一区域), which the case names (<c>stay.area</c>, <c>earlierResidences[].area</c>).
/// </summary>
public sealed record ResidenceContinuity(IReadOnlyList<string> SameArea, string Article, string? Note);

/// <summary>A fact with an optional minimum.</summary>
public sealed record FactCondition(PermitFact Fact, int AtLeast);

/// <summary>A fee.</summary>
/// <summary>A fee; <paramref name="Article"/> null where the text is silent (<c>silent: true</c>, the reading under decisions).</summary>
public sealed record Fee(string Id, int? Yuan, string? Article, string? Note);

/// <summary>A right, service or convenience.</summary>
public sealed record EntitlementRule(string Id, string Kind, string Holder, string Article, string? Note);

/// <summary>A sanctioned act not tied to a duty.</summary>
public sealed record OffenceRule(string Id, string Summary, FineRange? Fine, FineRange? SeriousFine, string Article, string? Note);

/// <summary>
/// Permit lifecycle keys (<c>lifecycle:</c>, Policies/README.md); null = not set by this file, inherited
/// key by key. A <c>Sourced</c> whose <c>Article</c> is null marks a value the text does not state
/// (<c>silent: true</c>): the basis is then the policy id alone.
/// </summary>
public sealed record LifecycleRules
{
    /// <summary>Period to report a change of address or workplace (null value: none).</summary>
    public LifecycleValue<Period?>? ChangeWithin { get; init; }

    /// <summary>A move across stations first closes the old registration.</summary>
    public LifecycleValue<bool>? CrossStationClosesOld { get; init; }

    /// <summary>Cancellation within this period before leaving (null value: none).</summary>
    public LifecycleValue<Period?>? CancelBeforeLeaving { get; init; }

    /// <summary>Cancellation within this period after settling household registration (null value: none).</summary>
    public LifecycleValue<Period?>? CancelAfterSettling { get; init; }

    /// <summary>Who may report a holder's death.</summary>
    public LifecycleValue<IReadOnlyList<string>>? DeathReportedBy { get; init; }

    /// <summary>Cancellation within this period after the holder's death (null value: no period stated; see <c>decisions</c>).</summary>
    public LifecycleValue<Period?>? CancelAfterDeath { get; init; }

    /// <summary>Return within this period: no cancellation (null value: no exception).</summary>
    public LifecycleValue<Period?>? ReturnException { get; init; }

    /// <summary>Renewal window before expiry, 「期满前N日内」 (null value: none).</summary>
    public LifecycleValue<Period?>? RenewWithin { get; init; }

    /// <summary>Renewal deadline, 「期满N日前」: apply no later than this period before expiry (null value: none).</summary>
    public LifecycleValue<Period?>? RenewBy { get; init; }

    /// <summary>Below this age a guardian or close relative may apply (null value: no age-based proxy).</summary>
    public LifecycleValue<int?>? ProxyUnderAge { get; init; }

    /// <summary>Who may apply on someone's behalf (empty: nobody).</summary>
    public LifecycleValue<IReadOnlyList<string>>? ProxyRelations { get; init; }

    /// <summary>On what grounds a proxy may apply (<c>minor</c>, <c>elderly-limited-mobility</c>, <c>disabled-limited-mobility</c>; empty: none).</summary>
    public LifecycleValue<IReadOnlyList<string>>? ProxyGrounds { get; init; }

    /// <summary>Materials (id, zh-CN label).</summary>
    public LifecycleValue<IReadOnlyList<Material>>? Materials { get; init; }

    /// <summary>Permits and 暂住证 of an earlier policy stay valid until their own expiry.</summary>
    public LifecycleValue<bool>? EarlierPermitsStayValid { get; init; }

    /// <summary>Grounds on which the police cancel and confiscate (收缴) a permit, each with its article; merged by id across layers.</summary>
    public IReadOnlyList<ConfiscationGround>? Confiscation { get; init; }

    /// <summary>One person holds one permit (一人一证).</summary>
    public LifecycleValue<bool>? OnePermitPerPerson { get; init; }

    /// <summary>The old card is handed back on replacement (换领).</summary>
    public LifecycleValue<bool>? ReplacementReturnsOldCard { get; init; }

    /// <summary>Who issues the permit: <c>county-public-security-bureau</c> or <c>public-security-organ</c>.</summary>
    public LifecycleValue<string>? IssuedBy { get; init; }

    /// <summary>What an endorsement requires beyond the window: still meeting the conditions, handing in the materials.</summary>
    public LifecycleValue<EndorsementRequirement>? EndorsementRequires { get; init; }

    /// <summary>A refusal tells the applicant and states the reasons (告知申领人，并说明理由).</summary>
    public LifecycleValue<bool>? RefusalReasons { get; init; }

    /// <summary>The remedies a refusal notice states (zh-CN sentences naming the laws that give them).</summary>
    public LifecycleValue<IReadOnlyList<string>>? RefusalRemedies { get; init; }
}

/// <summary>A ground to cancel and confiscate a permit (<c>obtained-by-fraud</c>, <c>forged-or-altered</c>).</summary>
public sealed record ConfiscationGround(string Id, string Article, string? Note);

/// <summary>A lifecycle value with its article; <paramref name="Article"/> null when the text is silent.</summary>
public sealed record LifecycleValue<T>(T Value, string? Article, string? Note);

/// <summary>An application material: id and zh-CN label.</summary>
public sealed record Material(string Id, string Label);

/// <summary>
/// What a residence registration records under this policy (<c>registration:</c>, Policies/README.md); null =
/// not set by this file, inherited key by key (a value citing an article wins over a silent one).
/// </summary>
public sealed record RegistrationRules
{
    /// <summary>The contents of a registration record (field ids).</summary>
    public LifecycleValue<IReadOnlyList<string>>? Contents { get; init; }

    /// <summary>Accompanying persons recorded with the registrant are those below this age (未满16周岁的随行人员).</summary>
    public LifecycleValue<int>? AccompanyingChildBelowAge { get; init; }
}

/// <summary>An endorsement's requirements: the holder still meets the permit's conditions; the application's materials are shown again.</summary>
public sealed record EndorsementRequirement(bool Conditions, bool Materials);

/// <summary>
/// Officials' access to a floating person's data under this policy (<c>dataAccess:</c>, Policies/README.md); every
/// key is optional and inherited as described there.
/// </summary>
public sealed record DataAccessRules
{
    /// <summary>
    /// The law an official's stated purpose rests on (个人信息保护法 第六条), cited by its own name: it is not an article
    /// of this policy. Set by the baseline; the most specific layer that sets it decides.
    /// </summary>
    public ExternalCitation? PurposeLimitation { get; init; }

    /// <summary>This policy's confidentiality article (知悉的流动人口信息予以保密), or silent.</summary>
    public LifecycleValue<bool>? Confidentiality { get; init; }

    /// <summary>Per department (<c>health</c>, <c>hrss</c>, …): the articles that give it a duty towards floating persons, or silent.</summary>
    public IReadOnlyDictionary<string, DepartmentDuty> Departments { get; init; } = new Dictionary<string, DepartmentDuty>();
}

/// <summary>A provision of another law, cited by its own words (<paramref name="Law"/>, e.g. 《中华人民共和国个人信息保护法》第六条).</summary>
public sealed record ExternalCitation(string Law, string? Note);

/// <summary>The articles of this policy that give a department its duty; empty and <paramref name="Silent"/> where the text names none.</summary>
public sealed record DepartmentDuty(IReadOnlyList<string> Articles, bool Silent, string? Note);
