using Microsoft.Extensions.Options;
using Sojourn.Application.Time;

namespace Sojourn.Web.Hosting;

/// <summary>
/// Today's date where the law applies (Sojourn:TimeZone, default Asia/Shanghai), from the injected
/// <see cref="TimeProvider"/>; the server's own time zone (often UTC) plays no part. The logic is
/// <see cref="LegalClock"/>'s, shared with the CLI.
/// </summary>
public sealed class ChinaClock(TimeProvider time, IOptions<SojournOptions> options)
    : LegalClock(time, LegalClock.Resolve(options.Value.TimeZone))
{
    /// <summary>The law's time zone when no options are at hand (display of stored UTC times).</summary>
    public static TimeZoneInfo DefaultZone { get; } = LegalClock.Resolve(new SojournOptions().TimeZone);

    /// <summary>The day of a stored UTC time in the law's time zone.</summary>
    public static new DateOnly DayOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), DefaultZone));
}

/// <summary>Options under the <c>Sojourn</c> configuration section that the host itself reads.</summary>
public sealed class SojournOptions
{
    public string TimeZone { get; set; } = "Asia/Shanghai";
}
