using System.Collections.Frozen;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Evaluation;

/// <summary>
/// A chain of policies (city over province over nation) resolved once into flat values with their
/// citations precomputed, so evaluating a case allocates nothing for the policy itself.
/// </summary>
public sealed class CompiledPolicy
{
    internal CompiledPolicy(IReadOnlyList<PolicyDocument> chain)
    {
        Chain = chain;
        Ids = chain.Select(d => d.Id).ToArray();
        Hashes = chain.ToFrozenDictionary(d => d.Id, d => d.Hash, StringComparer.Ordinal);
        Key = string.Join('>', Ids);

        Crossing = Pick(d => d.Scope.Crossing);
        SameCityDistricts = Pick(d => d.Scope.SameCityDistrictsExcluded);
        NotFloatingWithin = Pick(d => d.Scope.NotFloatingWithin);
        Groups = NotFloatingWithin?.Value.Select(g => g.ToFrozenSet(StringComparer.Ordinal)).ToArray() ?? [];
        MinimumStay = Pick(d => d.Scope.MinimumStayDays);
        ExcludedCategories = Pick(d => d.Scope.ExcludedCategories);
        ExcludedCategoryMask = Mask(ExcludedCategories?.Value);

        Duties = CompileDuties(chain);

        var article = chain.FirstOrDefault(d => d.Permit.Article is not null);
        PermitBasis = article is null ? null : Basis(article, article.Permit.Article!);
        Residence = Pick(d => d.Permit.Residence is { } r ? new Sourced<ResidenceCondition>(r, r.Article) : null);
        AnyOf = Pick(d => d.Permit.AnyOf);
        WaivedBy = Pick(d => d.Permit.WaivedBy);
        MinAge = Pick(d => d.Permit.MinAge);
        PermitCategories = Pick(d => d.Permit.Categories);
        ExcludedPurposes = Pick(d => d.Permit.ExcludedPurposes);
        Validity = Pick(d => d.Permit.Validity);

        // A floor layer (cn-2016 permit.floor) binds the older local rules above it: where the residence or
        // anyOf condition in use comes from a layer in force before the floor, the floor's own condition
        // applies as well (the stricter local conditions still stand beside it).
        var floor = chain.FirstOrDefault(d => d.Permit.Floor is not null);
        if (floor is not null)
        {
            bool Older(string? policyId) => policyId is not null && policyId != floor.Id
                && chain.First(d => d.Id == policyId).InForceFrom < floor.InForceFrom;
            var residence = floor.Permit.Residence!;
            var anyOf = floor.Permit.AnyOf!;
            FloorResidence = Older(Residence?.PolicyId) ? new Resolved<ResidenceCondition>(residence, Basis(floor, residence.Article), floor.Id) : null;
            FloorAnyOf = Older(AnyOf?.PolicyId) ? new Resolved<IReadOnlyList<FactCondition>>(anyOf.Value, Basis(floor, anyOf.Article), floor.Id) : null;
            FloorBasis = FloorResidence is null && FloorAnyOf is null ? null : Basis(floor, floor.Permit.Floor!.Article);
        }

        // Merged by id, most specific layer first: a city restating the first-issue fee does not drop
        // the national replacement fee.
        var fees = new List<(Fee, string)>();
        foreach (var d in chain)
        {
            foreach (var f in d.Permit.Fees ?? [])
            {
                if (!fees.Exists(x => x.Item1.Id == f.Id))
                {
                    fees.Add((f, Basis(d, f.Article)));
                }
            }
        }

        Fees = fees.ToArray();

        // Merged by id: a national right holds everywhere; a more specific layer restates or widens it.
        var entitlements = new Dictionary<string, CompiledEntitlement>(StringComparer.Ordinal);
        var entitlementOrder = new List<string>();
        foreach (var d in chain)
        {
            foreach (var e in d.Entitlements ?? [])
            {
                if (entitlements.TryAdd(e.Id, new CompiledEntitlement(e, Basis(d, e.Article), e.Holder == "registration")))
                {
                    entitlementOrder.Add(e.Id);
                }
            }
        }

        Entitlements = entitlementOrder.Select(id => entitlements[id]).ToArray();
        EndorseDuty = Array.FindIndex(Duties, d => d.Rule.Every is not null);
    }

    /// <summary>The policies, most specific first.</summary>
    public IReadOnlyList<PolicyDocument> Chain { get; }

    /// <summary>Policy ids, most specific first.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Content hash per policy id.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; }

    /// <summary>Cache key (<c>shanxi-2017&gt;cn-2016</c>).</summary>
    public string Key { get; }

    internal Resolved<CrossingLevel>? Crossing { get; }

    internal Resolved<bool>? SameCityDistricts { get; }

    internal Resolved<IReadOnlyList<IReadOnlyList<string>>>? NotFloatingWithin { get; }

    internal FrozenSet<string>[] Groups { get; }

    internal Resolved<int>? MinimumStay { get; }

    internal Resolved<IReadOnlySet<PersonCategory>>? ExcludedCategories { get; }

    internal int ExcludedCategoryMask { get; }

    /// <summary>Duties in output order.</summary>
    public CompiledDuty[] Duties { get; }

    internal int EndorseDuty { get; }

    internal string? PermitBasis { get; }

    internal Resolved<ResidenceCondition>? Residence { get; }

    internal Resolved<IReadOnlyList<FactCondition>>? AnyOf { get; }

    internal Resolved<IReadOnlyList<PermitFact>>? WaivedBy { get; }

    internal Resolved<int>? MinAge { get; }

    internal Resolved<IReadOnlySet<PersonCategory>>? PermitCategories { get; }

    internal Resolved<IReadOnlySet<StayPurpose>>? ExcludedPurposes { get; }

    internal Resolved<Period>? Validity { get; }

    /// <summary>The floor's residence condition, where the one in use comes from an older local rule.</summary>
    internal Resolved<ResidenceCondition>? FloorResidence { get; }

    /// <summary>The floor's employment/residence/study condition, where the one in use comes from an older local rule.</summary>
    internal Resolved<IReadOnlyList<FactCondition>>? FloorAnyOf { get; }

    /// <summary>The floor's article (<c>cn-2016#2</c>) when it binds this chain; null otherwise.</summary>
    internal string? FloorBasis { get; }

    internal (Fee Fee, string Basis)[] Fees { get; }

    internal CompiledEntitlement[] Entitlements { get; }

    // A value the text is silent on (`silent: true`, no article) cites the policy alone.
    internal static string Basis(PolicyDocument d, string? article) => article is null ? d.Id : $"{d.Id}#{article}";

    internal static int Mask<T>(IEnumerable<T>? values)
        where T : struct, Enum => values?.Aggregate(0, (m, v) => m | (1 << Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))) ?? 0;

    private Resolved<T>? Pick<T>(Func<PolicyDocument, Sourced<T>?> get)
    {
        foreach (var d in Chain)
        {
            if (get(d) is { } c)
            {
                return new Resolved<T>(c.Value, Basis(d, c.Article), d.Id);
            }
        }

        return null;
    }

    private static CompiledDuty[] CompileDuties(IReadOnlyList<PolicyDocument> chain)
    {
        // Top-down: the most specific layer that mentions a duty id decides it (null removes it).
        var decided = new Dictionary<string, (DutyRule? Rule, PolicyDocument Doc, int Order)>(StringComparer.Ordinal);
        var order = 0;
        foreach (var d in chain)
        {
            foreach (var (id, rule) in d.Duties)
            {
                decided.TryAdd(id, (rule, d, order++));
            }
        }

        return decided.Values
            .Where(v => v.Rule is not null)
            .OrderBy(v => v.Rule!.Party).ThenBy(v => v.Order)
            .Select(v => new CompiledDuty(v.Rule!, Basis(v.Doc, v.Rule!.Article), SanctionFor(chain, v.Rule!, PartyKind.Individual), SanctionFor(chain, v.Rule!, PartyKind.Organization)))
            .ToArray();
    }

    private static CompiledSanction? SanctionFor(IReadOnlyList<PolicyDocument> chain, DutyRule duty, PartyKind kind)
    {
        foreach (var d in chain)
        {
            foreach (var s in d.Sanctions)
            {
                if (s.Duties.Contains(duty.Id) && (s.PartyKind is null || s.PartyKind == kind))
                {
                    return new CompiledSanction(s, Basis(d, s.Article));
                }
            }
        }

        return null;
    }
}

/// <summary>A value and the citation of the layer that set it.</summary>
internal sealed record Resolved<T>(T Value, string Basis, string PolicyId);

/// <summary>A duty with its basis and the sanction per party kind.</summary>
public sealed class CompiledDuty
{
    internal CompiledDuty(DutyRule rule, string basis, CompiledSanction? individual, CompiledSanction? organization)
    {
        Rule = rule;
        Basis = basis;
        IndividualSanction = individual;
        OrganizationSanction = organization;
        Exemptions = rule.Exemptions.Select(e => new CompiledExemption(
            CompiledPolicy.Mask(e.Lodging), CompiledPolicy.Mask(e.Purposes), e.BelowAge ?? 0, CompiledPolicy.Mask(e.Categories))).ToArray();
        PartyName = Evaluation.Vocabulary.Name(rule.Party);
    }

    /// <summary>The rule.</summary>
    public DutyRule Rule { get; }

    /// <summary><c>policy#article</c>.</summary>
    public string Basis { get; }

    /// <summary>Party name.</summary>
    public string PartyName { get; }

    internal CompiledSanction? IndividualSanction { get; }

    /// <summary>The sanction the chain attaches to this duty for a party of <paramref name="kind"/>, or null.</summary>
    public CompiledSanction? SanctionFor(PartyKind kind) => kind == PartyKind.Individual ? IndividualSanction : OrganizationSanction;

    internal CompiledSanction? OrganizationSanction { get; }

    internal CompiledExemption[] Exemptions { get; }
}

internal readonly record struct CompiledExemption(int Lodging, int Purposes, int BelowAge, int Categories);

/// <summary>A sanction with its basis.</summary>
public sealed record CompiledSanction(SanctionRule Rule, string Basis);

/// <summary>An entitlement with its basis.</summary>
internal sealed record CompiledEntitlement(EntitlementRule Rule, string Basis, bool WithRegistration);
