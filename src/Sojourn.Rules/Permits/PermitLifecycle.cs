using System.Collections.Concurrent;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Permits;

/// <summary>
/// Resolves a residence permit's lifecycle terms for a residence division and day (the evaluator's
/// layering) and computes its dates with the contract's period arithmetic (§ Periods).
/// </summary>
public sealed class PermitLifecycle
{
    /// <summary>Duty ids whose periods are lifecycle terms (policy-evaluation.md).</summary>
    private const string IssueDuty = "station.issue-permit";

    private readonly PolicyCatalog _catalog;
    private readonly ConcurrentDictionary<string, PermitTerms?> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the lifecycle over a catalog.</summary>
    public PermitLifecycle(PolicyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    /// <summary>The lifecycle over the embedded policies.</summary>
    public static PermitLifecycle Default { get; } = new(PolicyCatalog.Default);

    /// <summary>
    /// The terms in force for a residence division on a day (or under a named policy, with its
    /// ancestors in force that day). Null when no policy applies, or when the chain issues no
    /// permit (no <c>station.issue-permit</c> and endorsement duty, e.g. 宁夏 and 新疆 before 2016).
    /// </summary>
    /// <exception cref="InvalidOperationException">A chain that issues permits but lacks a lifecycle value (a policy file gap).</exception>
    public PermitTerms? Terms(string residenceDivision, DateOnly on, string? policyId = null)
    {
        ArgumentNullException.ThrowIfNull(residenceDivision);
        var chain = _catalog.Resolve(policyId, residenceDivision, on);
        if (chain is null)
        {
            return null;
        }

        var terms = _cache.GetOrAdd(chain.Key, _ => Build(chain));
        return terms is null ? null : terms with { ResidenceDivision = residenceDivision };
    }

    /// <summary>Last day to issue the permit after the application was accepted (the remote period where it applies).</summary>
    public DateOnly IssueDue(PermitTerms t, string residenceDivision, DateOnly acceptedOn, bool remote)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Due(remote && t.IssueWithinRemote is { } r ? r : t.IssueWithin, residenceDivision, acceptedOn);
    }

    /// <summary>Last day of validity (the corresponding day, no roll-over, as the evaluator's <c>validUntil</c>), or null when the permit does not expire.</summary>
    public DateOnly? ValidUntil(PermitTerms t, DateOnly issuedOn)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.Validity is { } v ? PeriodMath.EndWithoutRollOver(issuedOn, v.Value, _catalog.Calendar.For(t.ResidenceDivision)) : null;
    }

    /// <summary>
    /// The endorsement window for the <paramref name="year"/>-th anniversary of <paramref name="anchor"/>
    /// (year 1 = first anniversary): opens on the anniversary minus the window, due on the anniversary
    /// rolled to a working day — as the evaluator's <c>person.endorse-permit</c>. The anchor is the issue
    /// day; after a late endorsement under <see cref="LateEndorsementYears.FromLateEndorsement"/> the caller
    /// may anchor on the late endorsement's day instead (the years then count from it).
    /// </summary>
    public (DateOnly Opens, DateOnly Due) Endorsement(PermitTerms t, DateOnly anchor, int year)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        var calendar = _catalog.Calendar.For(t.ResidenceDivision);
        var every = t.EndorseEvery.Value;
        var anniversary = PeriodMath.EndWithoutRollOver(anchor, every with { Amount = every.Amount * year }, calendar);
        return (PeriodMath.WindowStart(anniversary, t.EndorseWindow.Value), PeriodMath.NextWorkingDay(anniversary, calendar));
    }

    /// <summary>End of a period that starts with an event on <paramref name="from"/> (contract § Periods, the division's calendar).</summary>
    public DateOnly Due(Cited<Period> p, string residenceDivision, DateOnly from)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Value.Unit == PeriodUnit.Hours)
        {
            throw new ArgumentException("小时期间须从具体时刻起算，不能按日期计算。", nameof(p));
        }

        return PeriodMath.End(from, p.Value, _catalog.Calendar.For(residenceDivision));
    }

    /// <summary>First day a renewal may be applied for (<paramref name="validUntil"/> minus the window), or null when the policy sets no window.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance API like the other date methods.")]
    public DateOnly? RenewalOpens(PermitTerms t, DateOnly validUntil)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.RenewWithin is { } w ? PeriodMath.WindowStart(validUntil, w.Value) : null;
    }

    /// <summary>
    /// Last day a renewal is due (<paramref name="validUntil"/> minus the policy's 「期满N日前」 deadline), or null
    /// when the policy sets none. A deadline, not a window: applying earlier is on time, later is late.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance API like the other date methods.")]
    public DateOnly? RenewalDeadline(PermitTerms t, DateOnly validUntil)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.RenewBy is { } d ? PeriodMath.WindowStart(validUntil, d.Value) : null;
    }

    private static PermitTerms? Build(CompiledPolicy chain)
    {
        var issue = chain.Duties.FirstOrDefault(d => d.Rule.Id == IssueDuty);
        var endorse = chain.Duties.FirstOrDefault(d => d.Rule.Every is not null);
        if (issue is null || endorse is null)
        {
            return null;
        }

        var docs = chain.Chain;
        var rule = endorse.Rule;
        var lapse = rule.Lapse == "void" ? LapseEffect.Void : LapseEffect.Suspended;
        var late = rule.LateYears == "continuous" ? LateEndorsementYears.Continuous : LateEndorsementYears.FromLateEndorsement;
        var validity = docs.Select(d => d.Permit.Validity is { } v ? new Cited<Period>(v.Value, CompiledPolicy.Basis(d, v.Article), v.Note) : null)
            .FirstOrDefault(v => v is not null);

        var fees = new Dictionary<string, Cited<int?>>(StringComparer.Ordinal);
        foreach (var d in docs)
        {
            foreach (var f in d.Permit.Fees ?? [])
            {
                fees.TryAdd(f.Id, new Cited<int?>(f.Yuan, CompiledPolicy.Basis(d, f.Article), f.Note));
            }
        }

        var materials = Required(chain, "materials", d => d.Lifecycle.Materials);
        var grounds = new List<Cited<string>>();
        foreach (var d in docs)
        {
            foreach (var g in d.Lifecycle.Confiscation ?? [])
            {
                if (!grounds.Exists(x => x.Value == g.Id))
                {
                    grounds.Add(new Cited<string>(g.Id, CompiledPolicy.Basis(d, g.Article), g.Note));
                }
            }
        }

        return new PermitTerms
        {
            PolicyId = chain.Ids[0],
            Policies = chain.Ids,
            EngineVersion = Evaluator.Version,
            PolicyHashes = chain.Hashes,
            IssueWithin = new Cited<Period>(issue.Rule.Period!.Value, issue.Basis, issue.Rule.Note),
            IssueWithinRemote = issue.Rule.RemotePeriod is { } rp ? new Cited<Period>(rp, issue.Basis, issue.Rule.Note) : null,
            Validity = validity,
            EndorseEvery = new Cited<Period>(rule.Every!.Value, endorse.Basis, rule.Note),
            EndorseWindow = new Cited<Period>(rule.Window!.Value, endorse.Basis, rule.Note),
            MissedEndorsement = new Cited<LapseEffect>(lapse, endorse.Basis, rule.Note),
            LateEndorsement = new Cited<LateEndorsementYears>(late, endorse.Basis, rule.Note),
            ChangeWithin = OptionalPeriod(chain, d => d.Lifecycle.ChangeWithin),
            CrossStationClosesOldRegistration = Required(chain, "crossStationClosesOld", d => d.Lifecycle.CrossStationClosesOld),
            CancelBeforeLeaving = OptionalPeriod(chain, d => d.Lifecycle.CancelBeforeLeaving),
            CancelAfterSettling = OptionalPeriod(chain, d => d.Lifecycle.CancelAfterSettling),
            DeathReportedBy = Required(chain, "deathReportedBy", d => d.Lifecycle.DeathReportedBy),
            CancelAfterDeath = OptionalPeriod(chain, d => d.Lifecycle.CancelAfterDeath),
            ReturnException = OptionalPeriod(chain, d => d.Lifecycle.ReturnException),
            RenewWithin = OptionalPeriod(chain, d => d.Lifecycle.RenewWithin),
            RenewBy = OptionalPeriod(chain, d => d.Lifecycle.RenewBy),
            Fees = fees,
            ProxyUnderAge = Pick(chain, d => d.Lifecycle.ProxyUnderAge) is { Value: { } age } pa ? new Cited<int>(age, pa.Basis, pa.Note) : null,
            ProxyRelations = Required(chain, "proxyRelations", d => d.Lifecycle.ProxyRelations),
            ProxyGrounds = Required(chain, "proxyGrounds", d => d.Lifecycle.ProxyGrounds),
            Materials = materials.Value.Select(m => new Cited<string>(m.Id, materials.Basis, m.Label)).ToList(),
            EarlierPermitsStayValid = Required(chain, "earlierPermitsStayValid", d => d.Lifecycle.EarlierPermitsStayValid),
            ConfiscationGrounds = grounds,
            OnePermitPerPerson = TextFirst(chain, "onePermitPerPerson", d => d.Lifecycle.OnePermitPerPerson),
            ReplacementReturnsOldCard = TextFirst(chain, "replacementReturnsOldCard", d => d.Lifecycle.ReplacementReturnsOldCard),
            IssuedBy = TextFirst(chain, "issuedBy", d => d.Lifecycle.IssuedBy),
            EndorsementRequires = TextFirst(chain, "endorsementRequires", d => d.Lifecycle.EndorsementRequires),
            RefusalReasons = TextFirst(chain, "refusalReasons", d => d.Lifecycle.RefusalReasons),
            RefusalRemedies = TextFirst(chain, "refusalRemedies", d => d.Lifecycle.RefusalRemedies),
        };
    }

    // The most specific layer that sets the key decides it; a silent value cites the policy alone.
    private static (T Value, string Basis, string? Note)? Pick<T>(CompiledPolicy chain, Func<PolicyDocument, LifecycleValue<T>?> get)
    {
        foreach (var d in chain.Chain)
        {
            if (get(d) is { } v)
            {
                return (v.Value, v.Article is null ? d.Id : CompiledPolicy.Basis(d, v.Article), v.Note);
            }
        }

        return null;
    }

    private static Cited<T> Required<T>(
        CompiledPolicy chain, string key, Func<PolicyDocument, LifecycleValue<T>?> get, string section = "lifecycle") =>
        Pick(chain, get) is { } p
            ? new Cited<T>(p.Value, p.Basis, p.Note)
            : throw new InvalidOperationException($"政策链 {chain.Key} 未给出 {section}.{key}");

    /// <summary>
    /// For the keys added with the national floor (and the registration terms): a value an article states wins over a
    /// more specific layer's silent one (silence in a local rule does not set aside what the regulation says).
    /// </summary>
    /// <exception cref="InvalidOperationException">No layer gives <paramref name="section"/>.<paramref name="key"/>.</exception>
    internal static Cited<T> TextFirst<T>(
        CompiledPolicy chain, string key, Func<PolicyDocument, LifecycleValue<T>?> get, string section = "lifecycle")
    {
        foreach (var d in chain.Chain)
        {
            if (get(d) is { Article: { } article } v)
            {
                return new Cited<T>(v.Value, CompiledPolicy.Basis(d, article), v.Note);
            }
        }

        return Required(chain, key, get, section);
    }

    private static Cited<Period>? OptionalPeriod(CompiledPolicy chain, Func<PolicyDocument, LifecycleValue<Period?>?> get) =>
        Pick(chain, get) is { Value: { } period } p ? new Cited<Period>(period, p.Basis, p.Note) : null;
}
