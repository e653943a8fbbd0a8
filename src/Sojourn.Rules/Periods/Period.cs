using System.Globalization;
using Sojourn.Rules.Calendar;

namespace Sojourn.Rules.Periods;

/// <summary>Unit of a legal period.</summary>
public enum PeriodUnit
{
    /// <summary>日 (calendar days).</summary>
    Days,

    /// <summary>工作日.</summary>
    WorkingDays,

    /// <summary>小时, counted from the exact time.</summary>
    Hours,

    /// <summary>月 (半年 = 6 months).</summary>
    Months,

    /// <summary>年.</summary>
    Years,
}

/// <summary>A legal period such as "10日内" or "3个工作日内".</summary>
public readonly record struct Period(int Amount, PeriodUnit Unit)
{
    /// <summary>The unit's YAML name (<c>working-days</c>).</summary>
    public static string UnitName(PeriodUnit unit) => unit switch
    {
        PeriodUnit.Days => "days",
        PeriodUnit.WorkingDays => "working-days",
        PeriodUnit.Hours => "hours",
        PeriodUnit.Months => "months",
        PeriodUnit.Years => "years",
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>Parses a YAML unit name.</summary>
    public static bool TryParseUnit(string? s, out PeriodUnit unit)
    {
        unit = s switch
        {
            "days" => PeriodUnit.Days,
            "working-days" => PeriodUnit.WorkingDays,
            "hours" => PeriodUnit.Hours,
            "months" => PeriodUnit.Months,
            "years" => PeriodUnit.Years,
            _ => (PeriodUnit)(-1),
        };
        return (int)unit >= 0;
    }

    /// <summary>Chinese rendering: 10日, 3个工作日, 24小时, 6个月, 5年.</summary>
    public string ToChinese() => Unit switch
    {
        PeriodUnit.Days => string.Create(CultureInfo.InvariantCulture, $"{Amount}日"),
        PeriodUnit.WorkingDays => string.Create(CultureInfo.InvariantCulture, $"{Amount}个工作日"),
        PeriodUnit.Hours => string.Create(CultureInfo.InvariantCulture, $"{Amount}小时"),
        PeriodUnit.Months => string.Create(CultureInfo.InvariantCulture, $"{Amount}个月"),
        PeriodUnit.Years => string.Create(CultureInfo.InvariantCulture, $"{Amount}年"),
        _ => Amount.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc/>
    public override string ToString() => ToChinese();
}

/// <summary>
/// Period arithmetic as 民法典 第二百零一条至第二百零三条 prescribe (policy-evaluation.md § Periods).
/// </summary>
public static class PeriodMath
{
    /// <summary>
    /// Last day of a day, working-day, month or year period that starts with an event on
    /// <paramref name="eventDay"/>: the event's day is not counted; months and years end on the
    /// corresponding day (the month's last day where there is none); a last day that is not a
    /// working day moves to the next working day.
    /// </summary>
    public static DateOnly End(DateOnly eventDay, Period period, CalendarLayer calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var end = EndWithoutRollOver(eventDay, period, calendar);
        return period.Unit == PeriodUnit.WorkingDays ? end : NextWorkingDay(end, calendar);
    }

    /// <summary>
    /// The corresponding day without moving off a rest day: for conditions that a length of time
    /// has passed (居住半年以上), not for deadlines.
    /// </summary>
    public static DateOnly EndWithoutRollOver(DateOnly eventDay, Period period, CalendarLayer calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        switch (period.Unit)
        {
            case PeriodUnit.Days:
                return eventDay.AddDays(period.Amount);
            case PeriodUnit.Months:
                // DateOnly.AddMonths clamps to the month's last day, as 第二百零三条 requires.
                return eventDay.AddMonths(period.Amount);
            case PeriodUnit.Years:
                return eventDay.AddYears(period.Amount);
            case PeriodUnit.WorkingDays:
                var d = eventDay;
                for (var left = period.Amount; left > 0;)
                {
                    d = d.AddDays(1);
                    if (calendar.IsWorkingDay(d))
                    {
                        left--;
                    }
                }

                return d;
            case PeriodUnit.Hours:
                throw new ArgumentException("小时期间须从具体时刻起算。", nameof(period));
            default:
                throw new ArgumentOutOfRangeException(nameof(period));
        }
    }

    /// <summary>End of an hour period: from the event's exact time (no roll-over).</summary>
    public static DateTime End(DateTime eventTime, Period period)
    {
        if (period.Unit != PeriodUnit.Hours)
        {
            throw new ArgumentException("仅小时期间从具体时刻起算。", nameof(period));
        }

        return eventTime.AddHours(period.Amount);
    }

    /// <summary>Start of a window that ends on <paramref name="end"/> (e.g. one month before an anniversary).</summary>
    public static DateOnly WindowStart(DateOnly end, Period window)
    {
        return window.Unit switch
        {
            PeriodUnit.Days => end.AddDays(-window.Amount),
            PeriodUnit.Months => end.AddMonths(-window.Amount),
            PeriodUnit.Years => end.AddYears(-window.Amount),
            _ => throw new ArgumentException("窗口期只能以日、月或年计。", nameof(window)),
        };
    }

    /// <summary>The day itself if it is a working day, else the next working day.</summary>
    public static DateOnly NextWorkingDay(DateOnly day, CalendarLayer calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        while (!calendar.IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }
}
