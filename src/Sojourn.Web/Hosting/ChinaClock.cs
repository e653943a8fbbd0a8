using Microsoft.Extensions.Options;

namespace Sojourn.Web.Hosting;

/// <summary>
/// Today's date where the law applies (Sojourn:TimeZone, default Asia/Shanghai), from the injected
/// <see cref="TimeProvider"/>; the server's own time zone (often UTC) plays no part.
/// </summary>
public sealed class ChinaClock(TimeProvider time, IOptions<SojournOptions> options) : ILawClock
{
    private readonly TimeZoneInfo _zone = Resolve(options.Value.TimeZone);

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), _zone).DateTime);

    /// <summary>The law's time zone when no options are at hand (display of stored UTC times).</summary>
    public static TimeZoneInfo DefaultZone { get; } = Resolve(new SojournOptions().TimeZone);

    /// <summary>The day of a stored UTC time in the law's time zone.</summary>
    public static DateOnly DayOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), DefaultZone));

    private static TimeZoneInfo Resolve(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            // No tz database on the machine: China has had no daylight saving since 1991.
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }
}

/// <summary>Options under the <c>Sojourn</c> configuration section that the host itself reads.</summary>
public sealed class SojournOptions
{
    public string TimeZone { get; set; } = "Asia/Shanghai";
}
