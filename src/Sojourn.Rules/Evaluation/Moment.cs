using System.Globalization;

namespace Sojourn.Rules.Evaluation;

/// <summary>A local date, optionally with a time of day (minutes), as the contract's dates and date-times.</summary>
public readonly record struct Moment(DateOnly Date, int Minute)
{
    /// <summary>No time of day.</summary>
    public const int NoTime = -1;

    /// <summary>A date without time.</summary>
    public static Moment OfDate(DateOnly date) => new(date, NoTime);

    /// <summary>A date-time (seconds are dropped: the contract works in minutes).</summary>
    public static Moment OfDateTime(DateTime t) => new(DateOnly.FromDateTime(t), (t.Hour * 60) + t.Minute);

    /// <summary>True when a time of day is known.</summary>
    public bool HasTime => Minute >= 0;

    /// <summary>As a DateTime (midnight when no time is known).</summary>
    public DateTime ToDateTime() => Date.ToDateTime(new TimeOnly(Math.Max(Minute, 0) / 60, Math.Max(Minute, 0) % 60));

    /// <summary>Parses <c>YYYY-MM-DD</c> or <c>YYYY-MM-DDTHH:mm[:ss]</c>.</summary>
    public static bool TryParse(string? s, out Moment m)
    {
        m = default;
        if (s is null)
        {
            return false;
        }

        if (s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            m = OfDate(d);
            return true;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            m = OfDateTime(t);
            return true;
        }

        return false;
    }

    /// <summary><c>YYYY-MM-DD</c> or <c>YYYY-MM-DDTHH:mm</c>.</summary>
    public override string ToString() => HasTime
        ? string.Create(CultureInfo.InvariantCulture, $"{Date:yyyy-MM-dd}T{Minute / 60:00}:{Minute % 60:00}")
        : Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
