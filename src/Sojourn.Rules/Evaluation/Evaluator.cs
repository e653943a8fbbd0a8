using Sojourn.Rules.Calendar;
using Sojourn.Rules.Divisions;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Evaluation;

/// <summary>
/// Applies a compiled policy chain to one case: floating status, duties with due dates and status,
/// permit eligibility, penalties and entitlements, each with its basis. Pure: no I/O, no clock.
/// </summary>
public sealed class Evaluator
{
    /// <summary>Engine version recorded with every result.</summary>
    public const string Version = "1.0.0";

    private readonly PolicyCatalog _catalog;

    /// <summary>Creates an evaluator over a catalog.</summary>
    public Evaluator(PolicyCatalog catalog) => _catalog = catalog;

    /// <summary>The evaluator over the embedded policies.</summary>
    public static Evaluator Default { get; } = new(PolicyCatalog.Default);

    /// <summary>The catalog.</summary>
    public PolicyCatalog Catalog => _catalog;

    /// <summary>Evaluates a parsed case under a resolved chain (see <see cref="Resolve"/>).</summary>
    public EvaluationResult Evaluate(PolicyCase c, CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(policy);
        var floating = Floating(c, policy);
        if (!floating.Value)
        {
            return new EvaluationResult
            {
                Policies = policy.Ids,
                Floating = floating,
                Duties = [],
                Permit = null,
                Penalties = [],
                Entitlements = [],
                PolicyHashes = policy.Hashes,
            };
        }

        var buffer = new DutyOutcome[policy.Duties.Length];
        var n = EvaluateDuties(c, policy, buffer);
        var duties = buffer.AsSpan(0, n).ToArray();

        var penalties = new List<PenaltyResult>();
        var lapsed = false;
        foreach (var d in duties)
        {
            if (d.Duty.Rule.Every is not null && d.Status == DutyStatus.Overdue)
            {
                lapsed = true;
            }

            if (d.Status is DutyStatus.Late or DutyStatus.Overdue && SanctionFor(c, d.Duty) is { } s)
            {
                var r = s.Rule;
                penalties.Add(new PenaltyResult(Vocabulary.Name(r.Party), d.Duty.Rule.Id, r.OrderToCorrect, r.Warning, r.Fine,
                    r.SeriousFine, r.FineOnlyIfUncorrected, s.Basis));
            }
        }

        var permit = Permit(c, policy);
        return new EvaluationResult
        {
            Policies = policy.Ids,
            Floating = floating,
            Duties = duties,
            Permit = permit,
            Penalties = penalties,
            Entitlements = Entitlements(c, policy, permit, lapsed),
            PolicyHashes = policy.Hashes,
        };
    }

    /// <summary>Resolves the chain for a case (named policy or by division and date).</summary>
    public CompiledPolicy? Resolve(PolicyCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return _catalog.Resolve(c.Policy, c.ResidenceDivision, c.AsOf);
    }

    /// <summary>
    /// The deadline and status pass: writes every applicable duty into <paramref name="output"/>
    /// (length ≥ <c>policy.Duties.Length</c>) and returns how many. Allocates nothing.
    /// </summary>
    public int EvaluateDuties(PolicyCase c, CompiledPolicy policy, Span<DutyOutcome> output)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(policy);
        var calendar = _catalog.Calendar.For(c.ResidenceDivision);
        var n = 0;
        foreach (var duty in policy.Duties)
        {
            var rule = duty.Rule;
            if (!c.Has(rule.From) || !Applies(c, duty))
            {
                continue;
            }

            if (rule.Every is { } every)
            {
                if (Endorsement(c, policy, duty, every, calendar) is { } e)
                {
                    output[n++] = e;
                }

                continue;
            }

            var period = c.RemoteArea && rule.RemotePeriod is { } rp ? rp : rule.Period!.Value;
            var from = c.Events[(int)rule.From];
            var due = period.Unit == PeriodUnit.Hours
                ? Moment.OfDateTime(PeriodMath.End(from.ToDateTime(), period))
                : Moment.OfDate(PeriodMath.End(from.Date, period, calendar));
            Moment? done = c.Has(rule.DoneBy) ? c.Events[(int)rule.DoneBy] : null;
            output[n++] = new DutyOutcome(duty, due, Status(c.AsOf, due, done), done, null);
        }

        return n;
    }

    private static DutyStatus Status(DateOnly asOf, Moment due, Moment? done)
    {
        if (done is { } d)
        {
            var onTime = due.HasTime && d.HasTime ? d.ToDateTime() <= due.ToDateTime() : d.Date <= due.Date;
            return onTime ? DutyStatus.Met : DutyStatus.Late;
        }

        return asOf > due.Date ? DutyStatus.Overdue : DutyStatus.Open;
    }

    private static bool Applies(PolicyCase c, CompiledDuty duty)
    {
        var rule = duty.Rule;
        if (rule.WhenMinIntendedDays is { } minDays && c.IntendedDays is { } days && days < minDays)
        {
            return false;
        }

        var age = Age(c, c.Events[(int)rule.From].Date);
        if (rule.WhenMinAge is { } minAge && age is { } a && a < minAge)
        {
            return false;
        }

        // 已婚 is a positive condition: a case that does not give the status does not establish it.
        if (rule.WhenMaritalStatus is { } statuses && (c.MaritalStatus is not { } status || !statuses.Contains(status)))
        {
            return false;
        }

        foreach (var e in duty.Exemptions)
        {
            if ((c.Lodging is { } l && (e.Lodging & (1 << (int)l)) != 0)
                || (c.Purpose is { } p && (e.Purposes & (1 << (int)p)) != 0)
                || (e.Categories & (1 << (int)c.Category)) != 0
                || (e.BelowAge > 0 && age is { } x && x < e.BelowAge))
            {
                return false;
            }
        }

        return true;
    }

    // The next anniversary's endorsement, or the first one missed (policy-evaluation.md § permit).
    private static DutyOutcome? Endorsement(PolicyCase c, CompiledPolicy policy, CompiledDuty duty, Period every, CalendarLayer calendar)
    {
        var issued = c.Events[(int)PermitIssuedIndex].Date;
        DateOnly? validUntil = policy.Validity is { } v ? PeriodMath.EndWithoutRollOver(issued, v.Value, calendar) : null;
        var window = duty.Rule.Window!.Value;
        DutyOutcome? last = null;
        for (var k = 1; k <= 200; k++)
        {
            var anniversary = PeriodMath.EndWithoutRollOver(issued, every with { Amount = every.Amount * k }, calendar);
            if (validUntil is { } vu && anniversary >= vu)
            {
                break;
            }

            var due = PeriodMath.NextWorkingDay(anniversary, calendar);
            var opens = PeriodMath.WindowStart(anniversary, window);
            var nextOpens = PeriodMath.WindowStart(PeriodMath.EndWithoutRollOver(issued, every with { Amount = every.Amount * (k + 1) }, calendar), window);
            DateOnly? inWindow = null, after = null;
            foreach (var e in c.EndorsedOn)
            {
                if (e >= opens && e <= due)
                {
                    inWindow ??= e;
                }
                else if (e > due && e < nextOpens)
                {
                    after ??= e;
                }
            }

            var dueMoment = Moment.OfDate(due);
            DutyOutcome outcome = inWindow is { } w
                ? new(duty, dueMoment, DutyStatus.Met, Moment.OfDate(w), opens)
                : after is { } a
                    ? new(duty, dueMoment, DutyStatus.Late, Moment.OfDate(a), opens)
                    : new(duty, dueMoment, c.AsOf > due ? DutyStatus.Overdue : DutyStatus.Open, null, opens);
            last = outcome;
            if (c.AsOf <= due || outcome.Status == DutyStatus.Overdue)
            {
                return outcome;
            }
        }

        return last is { Status: DutyStatus.Late } ? last : null;
    }

    private const CaseField PermitIssuedIndex = CaseField.PermitIssuedOn;

    private static CompiledSanction? SanctionFor(PolicyCase c, CompiledDuty duty)
    {
        var kind = duty.Rule.Party switch
        {
            Party.Landlord => c.LandlordKind,
            Party.Employer => c.EmployerKind,
            Party.Person => PartyKind.Individual,
            _ => PartyKind.Organization,
        };
        return kind == PartyKind.Individual ? duty.IndividualSanction : duty.OrganizationSanction;
    }

    private static int? Age(PolicyCase c, DateOnly on)
    {
        if (c.BirthDate is not { } b)
        {
            return null;
        }

        var age = on.Year - b.Year;
        return on < b.AddYears(age) ? age - 1 : age;
    }

    private FloatingResult Floating(PolicyCase c, CompiledPolicy p)
    {
        if (p.ExcludedCategories is { } ex && (p.ExcludedCategoryMask & (1 << (int)c.Category)) != 0)
        {
            return new FloatingResult(false, ex.Basis, $"{CategoryName(c.Category)}的居住登记不适用本政策，按照国家有关规定执行。");
        }

        var crossing = p.Crossing;
        var basis = crossing?.Basis ?? p.SameCityDistricts?.Basis;
        var hukou = c.HukouDivision;
        var residence = c.ResidenceDivision;
        if (hukou is not null && crossing is not null)
        {
            var divisions = _catalog.Divisions;
            if (crossing.Value == Loading.CrossingLevel.County ? DivisionTable.SameCounty(hukou, residence) || hukou == residence
                : divisions.SamePrefecture(hukou, residence) || hukou == residence)
            {
                var where = crossing.Value == Loading.CrossingLevel.County ? "县（市、区）" : "城市";
                return new FloatingResult(false, crossing.Basis, $"居住地与户籍地在同一{where}，未离开户籍所在地。");
            }

            if (p.SameCityDistricts is { Value: true } scd && divisions.SamePrefecture(hukou, residence)
                && IsUrbanDistrict(hukou) && IsUrbanDistrict(residence))
            {
                return new FloatingResult(false, scd.Basis, "设区的市所辖各区常住人口跨区居住，不属于流动人口。");
            }

            if (p.NotFloatingWithin is { } nf)
            {
                foreach (var g in p.Groups)
                {
                    if (g.Contains(hukou) && g.Contains(residence))
                    {
                        return new FloatingResult(false, nf.Basis, "户籍地与居住地同属本市规定的不纳入流动人口管理的区域。");
                    }
                }
            }
        }

        if (p.MinimumStay is { } ms && c.IntendedDays is { } days && days < ms.Value)
        {
            return new FloatingResult(false, ms.Basis, $"拟居住{days}日，不足{ms.Value}日。");
        }

        return new FloatingResult(true, basis, null);
    }

    private bool IsUrbanDistrict(string code) =>
        _catalog.Divisions.Find(code) is { } d
            ? d.IsUrbanDistrict
            : int.TryParse(code.AsSpan(4, 2), out var n) && n is >= 1 and <= 20; // GB/T 2260: 01–20 市辖区

    private static string CategoryName(PersonCategory c) => c switch
    {
        PersonCategory.HongKong => "香港特别行政区居民",
        PersonCategory.Macao => "澳门特别行政区居民",
        PersonCategory.Taiwan => "台湾地区居民",
        PersonCategory.OverseasChinese => "华侨",
        PersonCategory.Foreigner => "外国人",
        PersonCategory.Stateless => "无国籍人",
        _ => "内地居民",
    };

    private PermitResult? Permit(PolicyCase c, CompiledPolicy p)
    {
        if (p.PermitBasis is null)
        {
            return null;
        }

        var calendar = _catalog.Calendar.For(c.ResidenceDivision);
        var unmet = new List<string>(2);
        DateOnly? earliest = null;
        var earliestKnown = true;
        var waived = p.WaivedBy is { } w && w.Value.Any(f => c.Fact(f) > 0);

        if (!waived && p.Residence is { } res && !ResidenceMet(c, res.Value, calendar, ref earliest, ref earliestKnown))
        {
            unmet.Add("residence-duration");
        }

        if (!waived && p.AnyOf is { } any && !AnyOfMet(c, any.Value))
        {
            unmet.Add("employment-residence-or-study");
            earliestKnown = false;
        }

        // The national floor over an older local rule (cn-2016 permit.floor): its conditions hold as well,
        // and where one of them is unmet, the floor's article is what decided. A local waiver does not
        // lift it.
        var floorDecided = false;
        if (p.FloorResidence is { } fr && !ResidenceMet(c, fr.Value, calendar, ref earliest, ref earliestKnown))
        {
            floorDecided = true;
            if (!unmet.Contains("residence-duration"))
            {
                unmet.Add("residence-duration");
            }
        }

        if (p.FloorAnyOf is { } fa && !AnyOfMet(c, fa.Value))
        {
            floorDecided = true;
            earliestKnown = false;
            if (!unmet.Contains("employment-residence-or-study"))
            {
                unmet.Add("employment-residence-or-study");
            }
        }

        if (p.MinAge is { } minAge)
        {
            if (c.BirthDate is { } b)
            {
                var at = b.AddYears(minAge.Value);
                if (c.AsOf < at)
                {
                    unmet.Add("age");
                    earliest = earliest is { } e && e > at ? e : at;
                }
            }
        }

        if (p.ExcludedPurposes is { } ep && c.Purpose is { } purpose && ep.Value.Contains(purpose))
        {
            unmet.Add("purpose");
            earliestKnown = false;
        }

        if (p.PermitCategories is { } cats && !cats.Value.Contains(c.Category))
        {
            unmet.Add("category");
            earliestKnown = false;
        }

        DateOnly? validUntil = null;
        if (c.Has(CaseField.PermitIssuedOn) && p.Validity is { } v)
        {
            validUntil = PeriodMath.EndWithoutRollOver(c.Events[(int)CaseField.PermitIssuedOn].Date, v.Value, calendar);
        }

        // Under the floor, eligibility rests on the floor's article unless only a local condition failed.
        var basis = p.FloorBasis is { } floorBasis && (floorDecided || unmet.Count == 0) ? floorBasis : p.PermitBasis;
        return new PermitResult(unmet.Count == 0, earliestKnown ? earliest : null, unmet, basis, validUntil);
    }

    // Residence counted from the registration (earliest = the day it is met), or the declared intended stay.
    private static bool ResidenceMet(PolicyCase c, Loading.ResidenceCondition r, CalendarLayer calendar, ref DateOnly? earliest, ref bool earliestKnown)
    {
        if (r.Period is { } period)
        {
            if (!c.Has(CaseField.FactsRegisteredOn))
            {
                earliestKnown = false;
                return false;
            }

            var start = c.Events[(int)CaseField.FactsRegisteredOn].Date;
            if (r.Continuity is { } continuity)
            {
                start = ContinuousSince(c, start, continuity);
            }

            var metOn = PeriodMath.EndWithoutRollOver(start, period, calendar);
            earliest = earliest is { } e && e > metOn ? e : metOn;
            return c.AsOf >= metOn;
        }

        if (r.MinIntendedDays is { } min && c.IntendedDays is { } days && days < min)
        {
            earliestKnown = false;
            return false;
        }

        return true;
    }

    // 台州 二(二)1: residence continues through an earlier registration that ended no earlier than the day before the
    // next began, in the same county (在各县(市、区)连续居住), or in another county inside the same named zone
    // (跨台州市经济开发区、台州湾产业集聚区视为同一区域). Zone membership is the case's statement (stay.area).
    private static DateOnly ContinuousSince(PolicyCase c, DateOnly start, Loading.ResidenceContinuity continuity)
    {
        var division = c.ResidenceDivision;
        var area = c.Area;
        var remaining = c.EarlierResidences.OrderByDescending(e => e.EndedOn).ToList();
        while (remaining.Find(e => e.RegisteredOn < start && e.EndedOn >= start.AddDays(-1)
            && (e.Division == division || (area is not null && e.Area == area && continuity.SameArea.Contains(area)))) is { } earlier)
        {
            start = earlier.RegisteredOn;
            division = earlier.Division;
            area = earlier.Area;
            remaining.Remove(earlier);
        }

        return start;
    }

    private static bool AnyOfMet(PolicyCase c, IReadOnlyList<Loading.FactCondition> conditions) =>
        conditions.Count == 0 || conditions.Any(f => c.Fact(f.Fact) >= f.AtLeast);

    private static List<EntitlementResult> Entitlements(PolicyCase c, CompiledPolicy p, PermitResult? permit, bool lapsed)
    {
        var result = new List<EntitlementResult>();
        var holdsPermit = c.Has(CaseField.PermitIssuedOn) && c.Events[(int)CaseField.PermitIssuedOn].Date <= c.AsOf
            && (permit?.ValidUntil is not { } vu || c.AsOf <= vu) && !lapsed;
        var registered = c.Has(CaseField.FactsRegisteredOn) && c.Events[(int)CaseField.FactsRegisteredOn].Date <= c.AsOf;
        foreach (var e in p.Entitlements)
        {
            if (holdsPermit || (e.WithRegistration && registered))
            {
                result.Add(new EntitlementResult(e.Rule.Id, e.Basis));
            }
        }

        return result;
    }
}
