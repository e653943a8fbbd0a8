namespace Sojourn.Application.Time;

/// <summary>
/// Now, and today's date where the law applies (China time): the web host's ChinaClock, the CLI's own. Use cases
/// read the day of a step from it, never the server's time zone.
/// </summary>
public interface ILegalClock
{
    DateTime UtcNow { get; }

    DateOnly Today { get; }
}

/// <summary>
/// A legal clock over a <see cref="TimeProvider"/> and a time zone: the one implementation, used by the CLI and,
/// as ChinaClock (zone from Sojourn:TimeZone), by the web host.
/// </summary>
public class LegalClock(TimeProvider time, TimeZoneInfo zone) : ILegalClock
{
    /// <summary>China has had no daylight saving since 1991: UTC+8 when the tz database lacks Asia/Shanghai.</summary>
    public static TimeZoneInfo ChinaZone { get; } = Resolve("Asia/Shanghai");

    /// <summary>The day of a stored UTC time in China's time zone (e.g. the day a registration was confirmed).</summary>
    public static DateOnly DayOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), ChinaZone));

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);

    /// <summary>The time zone named <paramref name="id"/>, or UTC+8 under that name when the tz database lacks it.</summary>
    public static TimeZoneInfo Resolve(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }
}
