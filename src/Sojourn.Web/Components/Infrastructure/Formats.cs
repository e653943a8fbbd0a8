using System.Globalization;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>How pages show dates, times and identity numbers: 2026年12月5日 in zh-CN, 5 Dec 2026 in English.</summary>
internal static class Formats
{
    /// <summary>Whether the page speaks English (the language switch's culture), else zh-CN.</summary>
    public static bool English => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal);

    public static string Date(DateOnly day) =>
        English ? day.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? day) => day is { } d ? Date(d) : "—";

    /// <summary>A UTC instant in China's time (UTC+8), to the minute.</summary>
    public static string Time(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Hosting.ChinaClock.DefaultZone);
        return English
            ? local.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Time(DateTime? utc) => utc is { } t ? Time(t) : "—";

    /// <summary>Days left until a legal deadline, as a page says it: 还剩 3 天 / 今天到期 / 已逾期 2 天.</summary>
    public static string Countdown(DateOnly due, DateOnly today)
    {
        var days = due.DayNumber - today.DayNumber;
        return English
            ? days > 0 ? $"{days} day(s) left" : days == 0 ? "due today" : $"{-days} day(s) overdue"
            : days > 0 ? $"还剩 {days} 天" : days == 0 ? "今天到期" : $"已逾期 {-days} 天";
    }
}
