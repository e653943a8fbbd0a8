using CsCheck;
using Sojourn.Rules.Calendar;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Tests.Periods;

/// <summary>Properties of period arithmetic over the whole 2004–2026 calendar.</summary>
public sealed class PeriodPropertyTests
{
    private static readonly CalendarLayer National = WorkingCalendar.Default.For("110105");
    private static readonly Gen<DateOnly> Day = Gen.Int[new DateOnly(2004, 1, 1).DayNumber, new DateOnly(2026, 11, 30).DayNumber].Select(DateOnly.FromDayNumber);

    [Fact]
    public void End_DayPeriod_IsFirstWorkingDayOnOrAfterCorrespondingDay()
    {
        Gen.Select(Day, Gen.Int[1, 40]).Sample((start, days) =>
        {
            var end = PeriodMath.End(start, new Period(days, PeriodUnit.Days), National);
            var plain = start.AddDays(days);
            Assert.True(end >= plain);
            Assert.True(National.IsWorkingDay(end));
            for (var d = plain; d < end; d = d.AddDays(1))
            {
                Assert.False(National.IsWorkingDay(d));
            }
        });
    }

    [Fact]
    public void End_WorkingDayPeriod_CountsExactlyThatManyWorkingDaysAfterTheEvent()
    {
        Gen.Select(Day, Gen.Int[1, 20]).Sample((start, n) =>
        {
            var end = PeriodMath.End(start, new Period(n, PeriodUnit.WorkingDays), National);
            var count = 0;
            for (var d = start.AddDays(1); d <= end; d = d.AddDays(1))
            {
                count += National.IsWorkingDay(d) ? 1 : 0;
            }

            Assert.Equal(n, count);
            Assert.True(National.IsWorkingDay(end));
        });
    }

    [Fact]
    public void EndWithoutRollOver_Months_NeverPassesTheDueMonth()
    {
        Gen.Select(Day, Gen.Int[1, 24]).Sample((start, months) =>
        {
            var end = PeriodMath.EndWithoutRollOver(start, new Period(months, PeriodUnit.Months), National);
            var due = new DateOnly(start.Year, start.Month, 1).AddMonths(months);
            Assert.Equal((due.Year, due.Month), (end.Year, end.Month));
            Assert.Equal(Math.Min(start.Day, DateTime.DaysInMonth(due.Year, due.Month)), end.Day);
        });
    }
}
