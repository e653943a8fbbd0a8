using Sojourn.Rules.Calendar;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Tests.Periods;

/// <summary>policy-evaluation.md § Periods, with the official 2004–2026 calendar.</summary>
public sealed class PeriodMathTests
{
    private static readonly CalendarLayer National = WorkingCalendar.Default.For("140105");

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void End_TenDaysFromMonday_EndsTenDaysLater()
    {
        Assert.Equal(D("2026-03-12"), PeriodMath.End(D("2026-03-02"), new Period(10, PeriodUnit.Days), National));
    }

    [Fact]
    public void End_HalfYearFromAugust31_EndsOnLastDayOfFebruary()
    {
        // 2026-02-28 is a Saturday made a working day (春节 调休), so no roll-over.
        Assert.Equal(D("2026-02-28"), PeriodMath.End(D("2025-08-31"), new Period(6, PeriodUnit.Months), National));
    }

    [Fact]
    public void End_TwentyFourHours_RunsFromExactTime()
    {
        Assert.Equal(new DateTime(2026, 3, 3, 21, 30, 0), PeriodMath.End(new DateTime(2026, 3, 2, 21, 30, 0), new Period(24, PeriodUnit.Hours)));
    }

    [Fact]
    public void End_EmployerTenDaysEndingSunday_RollsToMonday()
    {
        Assert.Equal(D("2026-03-16"), PeriodMath.End(D("2026-03-05"), new Period(10, PeriodUnit.Days), National));
    }

    [Fact]
    public void End_TenDaysEndingInNationalDayHoliday_RollsToFirstWorkingDayAfter()
    {
        // 2025-09-24 + 10 = 2025-10-04, inside 国庆/中秋 (10-01 … 10-08): next working day is 10-09.
        Assert.Equal(D("2025-10-09"), PeriodMath.End(D("2025-09-24"), new Period(10, PeriodUnit.Days), National));
    }

    [Fact]
    public void End_ThreeWorkingDaysAcrossAdjustedWorkingSunday_CountsTheSunday()
    {
        // 2025-09-28 (Sunday) is a 调休 working day: Fri 26 → Sun 28 (1), Mon 29 (2), Tue 30 (3).
        Assert.Equal(D("2025-09-30"), PeriodMath.End(D("2025-09-26"), new Period(3, PeriodUnit.WorkingDays), National));
    }

    [Fact]
    public void End_ThreeWorkingDaysAcrossSpringFestival_SkipsTheHoliday()
    {
        // 2026 春节 rest days 02-15 … 02-23; 02-14 (Sat) and 02-28 (Sat) are working days.
        Assert.Equal(D("2026-02-25"), PeriodMath.End(D("2026-02-13"), new Period(3, PeriodUnit.WorkingDays), National));
    }

    [Fact]
    public void End_EventDayIsNotCounted_OneDayEndsNextDay()
    {
        Assert.Equal(D("2026-03-03"), PeriodMath.End(D("2026-03-02"), new Period(1, PeriodUnit.Days), National));
    }

    [Fact]
    public void End_OneYearFromLeapDay_EndsFebruary28()
    {
        Assert.Equal(D("2025-02-28"), PeriodMath.EndWithoutRollOver(D("2024-02-29"), new Period(1, PeriodUnit.Years), National));
    }

    [Fact]
    public void WindowStart_OneMonthBeforeAnniversary_IsCorrespondingDay()
    {
        Assert.Equal(D("2027-04-06"), PeriodMath.WindowStart(D("2027-05-06"), new Period(1, PeriodUnit.Months)));
    }

    [Fact]
    public void IsWorkingDay_OutsideCoveredYears_WeekendsOnly()
    {
        Assert.True(National.IsWorkingDay(D("2003-10-01")));
        Assert.False(National.IsWorkingDay(D("2027-01-02")));
    }

    [Fact]
    public void IsWorkingDay_XinjiangRegionalRestDay_IsRestOnlyThere()
    {
        var xinjiang = WorkingCalendar.Default.For("650102");
        Assert.True(National.IsWorkingDay(D("2025-03-31")));
        Assert.False(xinjiang.IsWorkingDay(D("2025-03-31")));
    }

    [Fact]
    public void Create_RegionalLayer_AppliesToItsTerritoryOnly()
    {
        const string json = """{"years":[2026,2026],"holidays":{},"workdays":{}}""";
        const string layer = "region: test\nterritory: [\"64\"]\nsources: []\nholidays: { 2026-03-03: 测试 }\nworkdays: {}\n";
        var calendar = WorkingCalendar.Create(json, [("test.yaml", layer)]);
        Assert.False(calendar.For("640104").IsWorkingDay(D("2026-03-03")));
        Assert.True(calendar.For("140105").IsWorkingDay(D("2026-03-03")));
        Assert.Equal(D("2026-03-05"), PeriodMath.End(D("2026-03-02"), new Period(2, PeriodUnit.WorkingDays), calendar.For("640104")));
    }
}
