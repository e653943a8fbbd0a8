using System.Globalization;
using System.Text.Json;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;
using Sojourn.Rules.Tests.Policies;

namespace Sojourn.Rules.Tests.Permits;

/// <summary>Lifecycle dates follow the contract's § Periods and agree with the evaluator's duties.</summary>
public sealed class PermitDatesTests
{
    private static readonly PermitLifecycle Lifecycle = PermitLifecycle.Default;

    private static DateOnly D(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    private static PermitTerms Terms(string division, string on) => Lifecycle.Terms(division, D(on))!;

    // The evaluator's answer for the same permit, through the contract's input.
    private static EvaluationResult Evaluate(string division, string asOf, string permit)
    {
        var json = $$"""
            { "asOf": "{{asOf}}", "person": { "hukouDivision": "230102" },
              "stay": { "residenceDivision": "{{division}}", "arrivedOn": "2025-08-20" },
              "facts": { "registeredOn": "2025-08-25", "ownsHome": true },
              "permit": {{permit}} }
            """;
        var service = new PolicyService(Evaluator.Default, new FixedTime(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(8))));
        using var doc = JsonDocument.Parse(json);
        var (result, error) = service.EvaluateOne(doc.RootElement);
        Assert.Null(error);
        return result!;
    }

    private static DutyOutcome Duty(EvaluationResult r, string id) => r.Duties.Single(d => d.Duty.Rule.Id == id);

    [Fact]
    public void Endorsement_NationalExample_FirstWindowIsTheMonthBeforeTheAnniversary()
    {
        // national-regulation.md: issued 2026-05-06 → first window 2027-04-06 to 2027-05-06.
        var t = Terms("110105", "2026-05-06");
        Assert.Equal((D("2027-04-06"), D("2027-05-06")), Lifecycle.Endorsement(t, D("2026-05-06"), 1));
        var e = Duty(Evaluate("110105", "2027-04-10", """{ "issuedOn": "2026-05-06" }"""), "person.endorse-permit");
        Assert.Equal((e.Opens!.Value, e.Due.Date), Lifecycle.Endorsement(t, D("2026-05-06"), 1));
    }

    [Fact]
    public void Endorsement_SecondYear_AgreesWithTheEvaluator()
    {
        var t = Terms("110105", "2026-05-06");
        var e = Duty(Evaluate("110105", "2027-05-10", """{ "issuedOn": "2026-05-06", "endorsedOn": ["2027-04-20"] }"""), "person.endorse-permit");
        Assert.Equal((D("2028-04-06"), D("2028-05-08")), Lifecycle.Endorsement(t, D("2026-05-06"), 2));
        Assert.Equal((e.Opens!.Value, e.Due.Date), Lifecycle.Endorsement(t, D("2026-05-06"), 2));
    }

    [Fact]
    public void Endorsement_AnniversaryOnSunday_DueRollsToMonday()
    {
        var t = Terms("110105", "2026-03-14");
        Assert.Equal((D("2027-02-14"), D("2027-03-15")), Lifecycle.Endorsement(t, D("2026-03-14"), 1));
    }

    [Fact]
    public void Endorsement_Shanxi2013_ThirtyDayWindow_AgreesWithTheEvaluator()
    {
        var t = Terms("140105", "2014-06-01");
        var (opens, due) = Lifecycle.Endorsement(t, D("2014-06-03"), 1);
        Assert.Equal((D("2015-05-04"), D("2015-06-03")), (opens, due));
        var e = Duty(Evaluate("140105", "2015-05-10", """{ "issuedOn": "2014-06-03" }"""), "person.endorse-permit");
        Assert.Equal((e.Opens!.Value, e.Due.Date), (opens, due));
    }

    [Fact]
    public void Endorsement_YearBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Lifecycle.Endorsement(Terms("110105", "2026-05-06"), D("2026-05-06"), 0));

    [Fact]
    public void IssueDue_Shanxi2017_RemoteAreaHasItsOwnPeriod_AgreesWithTheEvaluator()
    {
        var t = Terms("140105", "2026-04-01");
        // Accepted Friday 2026-04-10: 15 days end Saturday 04-25 → Monday 04-27; 20 days end Thursday 04-30.
        Assert.Equal(D("2026-04-27"), Lifecycle.IssueDue(t, "140105", D("2026-04-10"), remote: false));
        Assert.Equal(D("2026-04-30"), Lifecycle.IssueDue(t, "140105", D("2026-04-10"), remote: true));
        var e = Duty(Evaluate("140105", "2026-04-12", """{ "appliedOn": "2026-04-10" }"""), "station.issue-permit");
        Assert.Equal(e.Due.Date, Lifecycle.IssueDue(t, "140105", D("2026-04-10"), remote: false));
    }

    [Fact]
    public void IssueDue_NoRemotePeriod_RemoteUsesTheOrdinaryOne()
    {
        var t = Terms("370202", "2026-04-01");
        Assert.Equal(Lifecycle.IssueDue(t, "370202", D("2026-04-10"), remote: false), Lifecycle.IssueDue(t, "370202", D("2026-04-10"), remote: true));
    }

    [Fact]
    public void ValidUntil_Shanxi2017_FiveYearsWithoutRollOver_AgreesWithTheEvaluator()
    {
        var t = Terms("140105", "2026-05-06");
        Assert.Equal(D("2031-05-06"), Lifecycle.ValidUntil(t, D("2026-05-06")));
        var r = Evaluate("140105", "2026-05-10", """{ "issuedOn": "2026-05-06" }""");
        Assert.Equal(r.Permit!.ValidUntil, Lifecycle.ValidUntil(t, D("2026-05-06")));
    }

    [Fact]
    public void ValidUntil_NoValidity_IsNull() =>
        Assert.Null(Lifecycle.ValidUntil(Terms("370202", "2026-05-06"), D("2026-05-06")));

    [Fact]
    public void RenewalDeadline_Shanxi2013_ThirtyDaysBeforeExpiryAndNoWindow()
    {
        // 第二十條 應在有效期滿30日前……辦理換髮手續: a deadline (due by 2019-05-04), not a window opening then.
        var t = Terms("140105", "2014-06-01");
        var until = Lifecycle.ValidUntil(t, D("2014-06-03"))!.Value;
        Assert.Equal(D("2019-06-03"), until);
        Assert.Equal(D("2019-05-04"), Lifecycle.RenewalDeadline(t, until));
        Assert.Null(Lifecycle.RenewalOpens(t, until));
        Assert.Null(Lifecycle.RenewalOpens(Terms("140105", "2026-05-01"), D("2031-05-06")));
        Assert.Null(Lifecycle.RenewalDeadline(Terms("140105", "2026-05-01"), D("2031-05-06")));
    }

    [Fact]
    public void Due_ChangeAndCancellation_FollowThePeriods()
    {
        var t = Terms("140105", "2026-05-01");
        // 10日 from Wednesday 2026-09-23 end Saturday 10-03 inside 国庆 (10-01 to 10-07) → next working day 2026-10-08.
        Assert.Equal(D("2026-10-08"), Lifecycle.Due(t.ChangeWithin!, "140105", D("2026-09-23")));
        Assert.Equal(D("2026-03-12"), Lifecycle.Due(t.CancelAfterSettling!, "140105", D("2026-03-02")));
        var xj = Terms("650102", "2026-05-01");
        // 3 working days from Friday 2026-03-06: Monday 09, Tuesday 10, Wednesday 11.
        Assert.Equal(D("2026-03-11"), Lifecycle.Due(xj.ChangeWithin!, "650102", D("2026-03-06")));
    }
}
