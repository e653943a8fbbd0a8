using Sojourn.Application.Compliance;
using Sojourn.Application.Errors;
using Sojourn.Data.Compliance;
using Sojourn.Rules.Compliance;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Web.Tests.Compliance;

/// <summary>The deadline and the case decisions as pure functions, without a database.</summary>
public sealed class ComplianceRulesTests
{
    private static StayFacts Stay(string division, string arrived, string? registered, string lodging = "rental") =>
        new(division, "130102", DateOnly.Parse(arrived), registered is null ? null : DateOnly.Parse(registered), 365, "work", lodging,
            new DateOnly(1990, 3, 7), "married");

    [Theory]
    [InlineData("140105", "2026-03-02", "2026-03-10", "2026-03-12", "met", "shanxi-2017#9")]
    [InlineData("140105", "2026-03-02", "2026-03-20", "2026-03-12", "late", "shanxi-2017#9")]
    [InlineData("140105", "2026-03-02", null, "2026-03-12", "overdue", "shanxi-2017#9")]
    [InlineData("650102", "2026-03-02", null, "2026-03-05", "overdue", "xinjiang-2011#18")]
    public void Deadline_FromThePolicyOfThePlace_DueAndStatus(string division, string arrived, string? registered, string due, string status, string basis)
    {
        var d = RegistrationDeadlines.Compute(Stay(division, arrived, registered), new DateOnly(2026, 4, 1));

        Assert.Equal(DateOnly.Parse(due), d.Due);
        Assert.Equal(status, d.Status);
        Assert.Equal(basis, d.Basis);
        Assert.Equal(Evaluator.Version, d.EngineVersion);
        Assert.Contains(basis.Split('#')[0], d.PolicyHashes.Keys);
    }

    [Fact]
    public void Deadline_BeforeTheDueDay_IsOpen()
    {
        var d = RegistrationDeadlines.Compute(Stay("140105", "2026-03-02", null), new DateOnly(2026, 3, 12));

        Assert.Equal("open", d.Status);
        Assert.Equal("overdue", DutyStatuses.AsOf(d.Status, d.Due, new DateOnly(2026, 3, 13)));
    }

    [Fact]
    public void Deadline_Ningxia_PolicySetsNoPeriod_None()
    {
        var d = RegistrationDeadlines.Compute(Stay("640104", "2026-03-02", null), new DateOnly(2026, 4, 1));

        Assert.Equal("none", d.Status);
        Assert.Null(d.Due);
        Assert.Equal("ningxia-2013>cn-2016", d.Policies);
    }

    [Fact]
    public void Deadline_HotelGuestUnderShanxi_ExemptByArticle13_None()
    {
        var d = RegistrationDeadlines.Compute(Stay("140105", "2026-03-02", null, lodging: "hotel"), new DateOnly(2026, 4, 1));

        Assert.Equal("none", d.Status);
    }

    [Fact]
    public void Sanction_Xinjiang_FineOnlyIfUncorrected_LimitSilent()
    {
        var s = SanctionTerms.For("xinjiang-2011>xinjiang-fp-2008>cn-2016", RegistrationDeadlines.Duty, PartyKind.Individual)!;

        Assert.True(s.OrderToCorrect);
        Assert.True(s.FineOnlyIfUncorrected);
        Assert.Equal(50, s.Fine!.MinYuan);
        Assert.Equal(200, s.Fine.MaxYuan);
        Assert.Equal("xinjiang-2011#26", s.Basis);
        Assert.True(s.OrderTimeLimitSilent);
        Assert.Null(s.OrderTimeLimit);
    }

    [Fact]
    public void Remedies_ReviewSixtyDaysLitigationSixMonths_CitedStatutes()
    {
        var review = Assert.Single(Remedies.All, r => r.Id == "administrative-review");
        var suit = Assert.Single(Remedies.All, r => r.Id == "administrative-litigation");

        Assert.Equal((60, Rules.Periods.PeriodUnit.Days), (review.Period.Amount, review.Period.Unit));
        Assert.Equal((6, Rules.Periods.PeriodUnit.Months), (suit.Period.Amount, suit.Period.Unit));
        Assert.Contains("六十日内", review.Text, StringComparison.Ordinal);
        Assert.Contains("六个月内", suit.Text, StringComparison.Ordinal);
        // The current texts: 行政复议法 (2023 revision, in force 2024-01-01) 第二十条, 行政诉讼法 (2017) 第四十六条.
        Assert.Equal("《中华人民共和国行政复议法》第20条", review.Basis);
        Assert.Contains("2023年", review.Version, StringComparison.Ordinal);
        Assert.Contains("知道或者应当知道该行政行为之日起", review.Text, StringComparison.Ordinal);
        Assert.Equal("《中华人民共和国行政诉讼法》第46条", suit.Basis);
        Assert.Contains("2017年", suit.Version, StringComparison.Ordinal);
    }

    private static ComplianceCase Case(string state = CaseState.New, bool fineOnlyIfUncorrected = true) => new()
    {
        DutyKey = "k",
        Source = "registration",
        PersonIdHmac = "h",
        ResidenceDivisionCode = "650102",
        Duty = RegistrationDeadlines.Duty,
        Party = "person",
        DutyStatus = DutyStatuses.Overdue,
        Engine = "{}",
        OpenedBy = "t",
        State = state,
        OrderToCorrect = true,
        FineMin = 50,
        FineMax = 200,
        FineOnlyIfUncorrected = fineOnlyIfUncorrected,
        SanctionBasis = "xinjiang-2011#26",
    };

    [Theory]
    [InlineData(49)]
    [InlineData(201)]
    public void Decision_FineOutsideTheRange_RefusedWithRangeAndArticle(int yuan)
    {
        var failure = ComplianceRules.CheckDecision(Case(CaseState.ToDecide), CaseOutcome.Fine, yuan, false, null)!;

        Assert.Equal(ErrorCode.FineOutsideRange, failure.Code);
        Assert.Equal(50, failure.Extensions!["minYuan"]);
        Assert.Equal(200, failure.Extensions["maxYuan"]);
        Assert.Equal("xinjiang-2011#26", failure.Extensions["basis"]);
    }

    [Fact]
    public void Decision_FineBeforeAnIgnoredOrder_Refused() =>
        Assert.Equal(ErrorCode.FineOnlyAfterIgnoredOrder, ComplianceRules.CheckDecision(Case(), CaseOutcome.Fine, 100, false, null)!.Code);

    [Fact]
    public void Decision_WhileWaitingOnTheLimit_Refused() =>
        Assert.Equal(ErrorCode.CaseWrongState, ComplianceRules.CheckDecision(Case(CaseState.Waiting), CaseOutcome.Dismissed, null, false, "x")!.Code);

    [Fact]
    public void Decision_DismissedWithoutReason_Refused() =>
        Assert.Equal(ErrorCode.ValidationFailed, ComplianceRules.CheckDecision(Case(), CaseOutcome.Dismissed, null, false, " ")!.Code);

    [Fact]
    public void Decision_WarningThePolicyDoesNotSet_Refused() =>
        Assert.Equal(ErrorCode.SanctionNotAllowed, ComplianceRules.CheckDecision(Case(), CaseOutcome.Warning, null, false, null)!.Code);

    [Fact]
    public void Decision_FineWithinTheRangeAfterEscalation_Allowed() =>
        Assert.Null(ComplianceRules.CheckDecision(Case(CaseState.ToDecide), CaseOutcome.Fine, 200, false, null));

    [Fact]
    public void Order_SilentLimit_OfficerMustSetADayAfterToday()
    {
        var today = new DateOnly(2026, 7, 1);

        Assert.False(ComplianceRules.CheckOrder(Case(), today, null).Succeeded);
        Assert.False(ComplianceRules.CheckOrder(Case(), today, today).Succeeded);
        Assert.Equal(today.AddDays(10), ComplianceRules.CheckOrder(Case(), today, today.AddDays(10)).Value);
    }
}
