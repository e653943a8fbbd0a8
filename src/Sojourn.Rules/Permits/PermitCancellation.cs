namespace Sojourn.Rules.Permits;

/// <summary>A permit the station should have cancelled: the last day the holder could have come back, and the articles.</summary>
public sealed record CancellationFollowUp(DateOnly Due, string Basis)
{
    /// <summary>
    /// Nobody's period runs (a death where the text states none): the follow-up is open from its due day, not after it.
    /// </summary>
    public bool NoPeriod { get; init; }
}

/// <summary>
/// Permits that should be cancelled although nobody asked: the holder's stay ended (a departure declared by the person,
/// a landlord or the station) but the permit was never told (no <c>LeftOn</c>), so the permit sweep cannot cancel it.
/// Only where the policy puts a cancellation on leaving (山西2017 第十八条第二款, 山西2013 第十九条第二款, 大同 第二十一条
/// 第二款: 离开……不再居住的……办理居住证注销手续) does the station follow it up, once the return exception (第四款 / 第三款:
/// 30日内返回……不办理注销) has run out; every other policy is silent (cn-2016, 宁夏, 新疆, 山东, 浙江: no
/// cancellation on leaving) and nothing is opened. A void permit (山西2013 第十八條 居住证废止) needs no cancellation: the
/// lapse is the permit sweep's. Pure: the caller passes the day.
/// </summary>
public static class PermitCancellation
{
    /// <summary>The station's follow-up duty (party station): the permit of a holder who left should be cancelled.</summary>
    public const string Duty = "station.cancel-permit";

    /// <summary>
    /// The follow-up of a permit whose holder's stay ended on <paramref name="departedOn"/>: due the last day of the
    /// return exception (the departure day where there is none), with the articles; null where the policy is silent.
    /// </summary>
    public static CancellationFollowUp? AfterDeparture(PermitLifecycle lifecycle, PermitTerms terms, string residenceDivision, DateOnly departedOn)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.CancelBeforeLeaving is null)
        {
            return null;
        }

        var decision = PermitDecisions.Departure(lifecycle, terms, residenceDivision, departedOn, departedOn);
        return new CancellationFollowUp(decision.ReturnBy ?? departedOn, decision.Basis);
    }

    /// <summary>
    /// Whether a stay in <paramref name="stayDivision"/> is still within the permit's place of residence, 「登记居住地市、县
    /// 范围内」: the city for an urban district (a move to another district of the city is a change of address, 第一款),
    /// the county otherwise. Codes are compared at county level (the first six digits).
    /// </summary>
    public static bool WithinPlace(string permitDivision, string stayDivision, Divisions.DivisionTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(permitDivision);
        ArgumentNullException.ThrowIfNull(stayDivision);
        if (permitDivision.Length < 6 || stayDivision.Length < 6)
        {
            return false;
        }

        var divisions = table ?? Divisions.DivisionTable.Default;
        var county = permitDivision[..6];
        var other = stayDivision[..6];
        return county == other
            || (divisions.Find(county) is { IsUrbanDistrict: true } && divisions.Find(other) is { IsUrbanDistrict: true } && divisions.SamePrefecture(county, other));
    }

    /// <summary>
    /// The follow-up of a permit whose holder settled household registration (登记为常住户口) at the residence on
    /// <paramref name="settledOn"/>: due the last day of the holder's own period (山西2017 第十八条第三款: 自登记为常住户口之日起
    /// 10日内), with its article; null where the policy is silent (山西2013, 大同, cn-2016 and every other policy).
    /// </summary>
    public static CancellationFollowUp? AfterSettling(PermitLifecycle lifecycle, PermitTerms terms, string residenceDivision, DateOnly settledOn)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        return terms.CancelAfterSettling is { } settling
            ? new CancellationFollowUp(lifecycle.Due(settling, residenceDivision, settledOn), settling.Basis)
            : null;
    }

    /// <summary>
    /// The follow-up of a permit whose holder died on <paramref name="diedOn"/>, where the policy names who cancels on
    /// death (<c>deathReportedBy</c>: 山西2017 第十八条第二款, 山西2013 第十九条, 大同 第二十一条). The texts state no period
    /// (<c>cancelAfterDeath</c> silent): the follow-up is due on the day of death, so the first sweep after the death
    /// is recorded opens it (the decision in shanxi-2017.yaml); a policy that states a period is followed. Null where
    /// nobody is named (cn-2016, 宁夏, 新疆 …: no cancellation on death in the text).
    /// </summary>
    public static CancellationFollowUp? AfterDeath(PermitLifecycle lifecycle, PermitTerms terms, string residenceDivision, DateOnly diedOn)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.DeathReportedBy.Value.Count == 0)
        {
            return null;
        }

        return terms.CancelAfterDeath is { } period
            ? new CancellationFollowUp(lifecycle.Due(period, residenceDivision, diedOn), period.Basis)
            : new CancellationFollowUp(diedOn, terms.DeathReportedBy.Basis) { NoPeriod = true };
    }

    /// <summary>
    /// Whether the follow-up is to be opened on <paramref name="today"/>: the holder's period has run out (they can no
    /// longer come back, or cancel, in time), or, where no period runs, its day has come.
    /// </summary>
    public static bool Overdue(CancellationFollowUp followUp, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return followUp.NoPeriod ? today >= followUp.Due : today > followUp.Due;
    }
}
