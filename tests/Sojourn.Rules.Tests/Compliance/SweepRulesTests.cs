using Sojourn.Rules.Compliance;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;

namespace Sojourn.Rules.Tests.Compliance;

/// <summary>
/// The compliance sweep's rules for reports not made and permits not cancelled, as pure functions of the policies: no
/// database, no clock.
/// </summary>
public sealed class SweepRulesTests
{
    private static readonly DateOnly AsOf = new(2026, 9, 1);

    [Theory]
    // 山西2017 第十四条: 10 days from the move-out; 宁夏 第十三条: 3 working days (2026-07-03 a Friday → Wednesday 07-08).
    [InlineData("140105", "2026-07-03", "landlord.report-departure", "2026-07-13", "shanxi-2017#14", "shanxi-2017>cn-2016")]
    [InlineData("640104", "2026-07-03", "landlord.report-departure", "2026-07-08", "ningxia-2013#13", "ningxia-2013>cn-2016")]
    public void Departure_Landlord_UnreportedIsOverdueWithTheArticle(string division, string departed, string duty, string due, string basis, string policies)
    {
        var d = ReportDeadlines.Departure("landlord", PartyKind.Individual, division, new DateOnly(2026, 6, 1), DateOnly.Parse(departed), null, AsOf, "rental")!;

        Assert.Equal(duty, d.Duty);
        Assert.Equal(DateOnly.Parse(due), d.Due);
        Assert.Equal(DutyStatuses.Overdue, d.Status);
        Assert.Equal(basis, d.Basis);
        Assert.Equal(policies, d.Policies);
        Assert.Equal(Evaluator.Version, d.EngineVersion);
    }

    [Fact]
    public void Departure_Xinjiang_NoDepartureDutyInItem19_Null() =>
        Assert.Null(ReportDeadlines.Departure("landlord", PartyKind.Individual, "650102", new DateOnly(2026, 6, 1), new DateOnly(2026, 7, 3), null, AsOf, "rental"));

    [Fact]
    public void Departure_ReportedInTime_Met()
    {
        var d = ReportDeadlines.Departure("landlord", PartyKind.Individual, "140105", new DateOnly(2026, 6, 1), new DateOnly(2026, 7, 3), new DateOnly(2026, 7, 10), AsOf)!;

        Assert.Equal(DutyStatuses.Met, d.Status);
    }

    [Fact]
    public void Arrival_LandlordUnderXinjiang_ThreeWorkingDaysItem19AndTheSanctionForAnIndividual()
    {
        var d = ReportDeadlines.Arrival("landlord", PartyKind.Individual, "650102", new DateOnly(2026, 7, 3), null, AsOf, "rental")!;

        Assert.Equal("landlord.report-tenant", d.Duty);
        Assert.Equal(new DateOnly(2026, 7, 8), d.Due);
        Assert.Equal("xinjiang-2011#19", d.Basis);
        var s = SanctionTerms.For(d.Policies, d.Duty, PartyKind.Individual)!;
        Assert.Equal((50, 200), (s.Fine!.MinYuan, s.Fine.MaxYuan));
        Assert.True(s.FineOnlyIfUncorrected);
        var organisation = SanctionTerms.For(d.Policies, d.Duty, PartyKind.Organization)!;
        Assert.Equal((500, 1000), (organisation.Fine!.MinYuan, organisation.Fine.MaxYuan));
    }

    [Fact]
    public void Arrival_HotelUnderShanxi2017_Article13SetsNoDuty_Null() =>
        Assert.Null(ReportDeadlines.Arrival("establishment", PartyKind.Organization, "140105", new DateOnly(2026, 7, 3), null, AsOf, "hotel"));

    [Fact]
    public void Cancellation_Shanxi2017_DueWhenTheThirtyDayReturnExceptionRunsOut()
    {
        var terms = PermitLifecycle.Default.Terms("140105", new DateOnly(2026, 7, 1))!;

        var f = PermitCancellation.AfterDeparture(PermitLifecycle.Default, terms, "140105", new DateOnly(2026, 7, 1))!;

        Assert.Equal(new DateOnly(2026, 7, 31), f.Due);
        Assert.Contains("shanxi-2017#18", f.Basis, StringComparison.Ordinal);
        Assert.False(PermitCancellation.Overdue(f, new DateOnly(2026, 7, 31)));
        Assert.True(PermitCancellation.Overdue(f, new DateOnly(2026, 8, 1)));
    }

    [Theory]
    [InlineData("640104")] // 宁夏 第七条: 居住证……执行国家有关规定; cn-2016 says nothing of cancellation
    [InlineData("650102")] // 新疆 item 23 leaves the permit to the police's rules; cn-2016 silent
    public void Cancellation_PolicySilentOnLeaving_Null(string division)
    {
        var terms = PermitLifecycle.Default.Terms(division, new DateOnly(2026, 7, 1))!;

        Assert.Null(terms.CancelBeforeLeaving);
        Assert.Null(PermitCancellation.AfterDeparture(PermitLifecycle.Default, terms, division, new DateOnly(2026, 7, 1)));
    }

    [Theory]
    // 第十八条: 离开登记居住地市、县范围内 — another district of 太原 is still the city; another county is not.
    [InlineData("140105", "140106", true)] // 小店区 → 迎泽区, both districts of 太原市
    [InlineData("140105", "140105", true)]
    [InlineData("140105", "140121", false)] // 小店区 → 清徐县
    [InlineData("140121", "140122", false)] // 清徐县 → 阳曲县
    [InlineData("140105", "650102", false)]
    public void WithinPlace_CityForADistrictCountyOtherwise(string permit, string stay, bool within) =>
        Assert.Equal(within, PermitCancellation.WithinPlace(permit, stay));
}
