using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Compliance;

/// <summary>The stored status of a registration duty: the contract's four, and <c>none</c> where no duty applies.</summary>
public static class DutyStatuses
{
    public const string Open = "open";
    public const string Met = "met";
    public const string Late = "late";
    public const string Overdue = "overdue";

    /// <summary>No duty: not a floating person, an exempt lodging, or a policy that sets no period (宁夏 第七条).</summary>
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [Open, Met, Late, Overdue, None];

    public static string Of(DutyStatus status) => status switch
    {
        DutyStatus.Met => Met,
        DutyStatus.Late => Late,
        DutyStatus.Overdue => Overdue,
        _ => Open,
    };

    /// <summary>
    /// The status on <paramref name="today"/> of a stored duty: a stored <c>open</c> whose due day has passed is overdue
    /// (the contract: not done and asOf past due). The others do not change with time.
    /// </summary>
    public static string AsOf(string stored, DateOnly? due, DateOnly today) =>
        stored == Open && due is { } d && today > d ? Overdue : stored;
}

/// <summary>What a stay must carry from the rules engine: its facts as the registration records them.</summary>
public sealed record StayFacts(
    string ResidenceDivision,
    string? HukouDivision,
    DateOnly ArrivedOn,
    DateOnly? RegisteredOn,
    int? IntendedDays,
    string? Purpose,
    string? Lodging,
    DateOnly? BirthDate,
    string? MaritalStatus);

/// <summary>
/// The person's registration duty (person.register-residence) of one stay: its due day, its status on a day, its
/// basis and the engine stamp (the engine version and each policy's content hash), or <c>none</c> with the reason.
/// </summary>
public sealed record RegistrationDeadline(
    DateOnly? Due,
    string Status,
    string? Basis,
    string? Policies,
    string EngineVersion,
    IReadOnlyDictionary<string, string> PolicyHashes,
    string? Reason);

/// <summary>
/// The registration deadline of a stored stay, from the policy that governs the stay's place on its arrival day (the
/// duty arises then; a later policy does not move it). Pure: no I/O, no clock.
/// </summary>
public static class RegistrationDeadlines
{
    public const string Duty = "person.register-residence";

    public static RegistrationDeadline Compute(StayFacts stay, DateOnly asOf, Evaluator? evaluator = null)
    {
        ArgumentNullException.ThrowIfNull(stay);
        var engine = evaluator ?? Evaluator.Default;
        var chain = engine.Catalog.Resolve(null, stay.ResidenceDivision, stay.ArrivedOn);
        if (chain is null)
        {
            return new RegistrationDeadline(null, DutyStatuses.None, null, null, Evaluator.Version,
                new Dictionary<string, string>(), "no policy in force at the residence on the arrival day");
        }

        var c = new PolicyCase
        {
            Policy = chain.Ids[0],
            AsOf = asOf,
            ResidenceDivision = stay.ResidenceDivision,
            HukouDivision = stay.HukouDivision,
            IntendedDays = stay.IntendedDays,
            BirthDate = stay.BirthDate,
            MaritalStatus = stay.MaritalStatus,
            Category = PersonCategory.Mainland,
        };
        if (Vocabulary.TryParse(stay.Purpose, out StayPurpose purpose))
        {
            c.Purpose = purpose;
        }

        if (Vocabulary.TryParse(stay.Lodging, out Evaluation.Lodging lodging))
        {
            c.Lodging = lodging;
        }

        c.Set(CaseField.StayArrivedOn, Moment.OfDate(stay.ArrivedOn));
        if (stay.RegisteredOn is { } registered)
        {
            c.Set(CaseField.FactsRegisteredOn, Moment.OfDate(registered));
        }

        var result = engine.Evaluate(c, chain);
        if (!result.Floating.Value)
        {
            return new RegistrationDeadline(null, DutyStatuses.None, result.Floating.Basis, chain.Key, Evaluator.Version,
                result.PolicyHashes, result.Floating.Reason);
        }

        foreach (var d in result.Duties)
        {
            if (d.Duty.Rule.Id == Duty)
            {
                return new RegistrationDeadline(d.Due.Date, DutyStatuses.Of(d.Status), d.Duty.Basis, chain.Key, Evaluator.Version,
                    result.PolicyHashes, null);
            }
        }

        // The chain sets no registration period for this stay (an exempt lodging, or silent as 宁夏 第七条).
        return new RegistrationDeadline(null, DutyStatuses.None, chain.Ids[0], chain.Key, Evaluator.Version, result.PolicyHashes,
            "the policy sets no registration period for this stay");
    }
}

/// <summary>The sanction a chain allows for a missed duty, as a case shows and stores it.</summary>
public sealed record SanctionTerms(
    bool OrderToCorrect,
    bool Warning,
    FineRange? Fine,
    FineRange? SeriousFine,
    bool FineOnlyIfUncorrected,
    string Basis,
    Period? OrderTimeLimit,
    string? OrderTimeLimitBasis,
    bool OrderTimeLimitSilent)
{
    /// <summary>
    /// The sanction of <paramref name="dutyId"/> for a party of <paramref name="kind"/> under the chain of
    /// <paramref name="policies"/> (its key); null when the chain sanctions nothing (or the key is unknown).
    /// </summary>
    public static SanctionTerms? For(string policies, string dutyId, PartyKind kind, PolicyCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var chain = (catalog ?? PolicyCatalog.Default).ChainOf(policies);
        var duty = chain?.Duties.FirstOrDefault(d => d.Rule.Id == dutyId);
        if (duty?.SanctionFor(kind) is not { } s)
        {
            return null;
        }

        var r = s.Rule;
        var policy = s.Basis.Split('#')[0];
        var limit = r.OrderTimeLimit;
        return new SanctionTerms(r.OrderToCorrect, r.Warning, r.Fine, r.SeriousFine, r.FineOnlyIfUncorrected, s.Basis,
            limit?.Value, limit?.Article is { } a ? $"{policy}#{a}" : limit is null ? null : policy,
            limit is not null && limit.Article is null);
    }
}
