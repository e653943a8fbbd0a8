namespace Sojourn.Application;

/// <summary>
/// The time as the law counts it: the instant (UTC) and today's date in the law's time zone. The web host's
/// ChinaClock implements it; a test or a seeder may set any day.
/// </summary>
public interface ILawClock
{
    DateTime UtcNow { get; }

    DateOnly Today { get; }
}
