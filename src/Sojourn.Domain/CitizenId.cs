using System.Diagnostics.CodeAnalysis;

namespace Sojourn.Domain;

/// <summary>
/// A citizen identity number (公民身份号码) per GB 11643-1999: six-digit division code of the place of
/// first registration, eight-digit birth date, three-digit sequence (odd for men, even for women)
/// and an ISO 7064 MOD 11-2 check character (0-9 or X).
/// </summary>
/// <remarks>
/// <para>Edge cases:</para>
/// <list type="bullet">
/// <item>Input is trimmed; a lowercase <c>x</c> check character is normalised to <c>X</c>.</item>
/// <item>A 15-digit number (pre-1999 cards) is upgraded: <c>19</c> is inserted before the two-digit year
/// and the check character is computed. Such numbers carry no check character to verify.</item>
/// <item>Only the province (first two digits) is validated against a list: the county part is the
/// code at the time of first registration and may since have been retired (e.g. 440524), so it is
/// never a reason to reject a number.</item>
/// <item>The birth date must be a calendar date, not before 1800-01-01 and not after <c>today</c>.</item>
/// <item><see cref="ToString"/> returns <see cref="Masked"/> so the number never leaks into logs or
/// interpolated strings; use <see cref="Value"/> deliberately when the full number is needed.</item>
/// <item><c>default(CitizenId)</c> is empty (<see cref="IsEmpty"/>); its other properties throw.</item>
/// </list>
/// </remarks>
public readonly struct CitizenId : IEquatable<CitizenId>
{
    private const string CheckCharacters = "10X98765432";
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly DateOnly Earliest = new(1800, 1, 1);

    private readonly string? _value;

    private CitizenId(string value) => _value = value;

    /// <summary>The normalised 18-character number. Handle with care: personal data.</summary>
    public string Value => _value ?? throw new InvalidOperationException("空的公民身份号码。");

    /// <summary>True for <c>default(CitizenId)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Birth date (characters 7-14).</summary>
    public DateOnly BirthDate => new(
        ParseDigits(Value.AsSpan(6, 4)), ParseDigits(Value.AsSpan(10, 2)), ParseDigits(Value.AsSpan(12, 2)));

    /// <summary>Sex from the 17th digit: odd male, even female.</summary>
    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>Division code of first registration (first six digits); may be retired.</summary>
    public DivisionCode DivisionCode => DivisionCode.Parse(Value[..6]);

    /// <summary>Province-level code, e.g. 140000.</summary>
    public DivisionCode ProvinceCode => DivisionCode.ProvinceCode;

    /// <summary>Age in completed years on <paramref name="date"/>; a 29 February birthday is reached on
    /// 1 March in common years. Negative never: a date before the birth gives 0.</summary>
    public int AgeOn(DateOnly date)
    {
        var birth = BirthDate;
        var age = date.Year - birth.Year;
        if (date.Month < birth.Month || (date.Month == birth.Month && date.Day < birth.Day))
        {
            age--;
        }

        return Math.Max(age, 0);
    }

    /// <summary>First four and last four characters with ten stars between: <c>1401**********1234</c>.</summary>
    public string Masked() => _value is null
        ? string.Empty
        : string.Concat(_value.AsSpan(0, 4), "**********", _value.AsSpan(14, 4));

    /// <summary>Returns <see cref="Masked"/>, never the full number.</summary>
    public override string ToString() => Masked();

    /// <summary>Validates and normalises <paramref name="s"/>.</summary>
    /// <param name="s">18-character or legacy 15-digit number.</param>
    /// <param name="today">The current date in China (birth dates after it are rejected).</param>
    /// <param name="id">The parsed number, or default.</param>
    /// <param name="error">Why parsing failed, or <see cref="CitizenIdError.None"/>.</param>
    public static bool TryParse([NotNullWhen(true)] string? s, DateOnly today, out CitizenId id, out CitizenIdError error)
    {
        id = default;
        error = Validate(s, today, out var normalised);
        if (error != CitizenIdError.None)
        {
            return false;
        }

        id = new CitizenId(normalised!);
        return true;
    }

    /// <summary>As <see cref="TryParse(string?, DateOnly, out CitizenId, out CitizenIdError)"/>, with today
    /// taken from <paramref name="time"/> in its local time zone (configure it to China Standard Time).</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, TimeProvider time, out CitizenId id, out CitizenIdError error)
    {
        ArgumentNullException.ThrowIfNull(time);
        return TryParse(s, Today(time), out id, out error);
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with a zh-CN message (without the number).</summary>
    public static CitizenId Parse(string? s, DateOnly today) =>
        TryParse(s, today, out var id, out var error) ? id : throw new FormatException(Describe(error));

    /// <summary>Parses with today from <paramref name="time"/> or throws <see cref="FormatException"/>.</summary>
    public static CitizenId Parse(string? s, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Parse(s, Today(time));
    }

    /// <summary>zh-CN message for an error; never contains the number.</summary>
    public static string Describe(CitizenIdError error) => error switch
    {
        CitizenIdError.None => "公民身份号码有效。",
        CitizenIdError.Empty => "请填写公民身份号码。",
        CitizenIdError.Format => "公民身份号码应为18位（前17位为数字，末位为数字或X），或15位数字。",
        CitizenIdError.CheckCharacter => "公民身份号码校验码不正确，请核对后重新填写。",
        CitizenIdError.BirthDate => "公民身份号码中的出生日期不是有效日期。",
        CitizenIdError.FutureBirthDate => "公民身份号码中的出生日期晚于当前日期。",
        CitizenIdError.UnknownProvince => "公民身份号码前两位不是有效的省级行政区划代码。",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    /// <summary>ISO 7064 MOD 11-2 check character for the first 17 digits.</summary>
    /// <exception cref="ArgumentException">Not 17 ASCII digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17 || !AllDigits(first17))
        {
            throw new ArgumentException("需要17位数字。", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    private static CitizenIdError Validate(string? s, DateOnly today, out string? normalised)
    {
        normalised = null;
        var span = s.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return CitizenIdError.Empty;
        }

        string candidate;
        if (span.Length == 18)
        {
            if (!AllDigits(span[..17]) || !(char.IsAsciiDigit(span[17]) || span[17] is 'X' or 'x'))
            {
                return CitizenIdError.Format;
            }

            candidate = span[17] == 'x' ? string.Concat(span[..17], "X") : span.ToString();
            if (ComputeCheckCharacter(candidate.AsSpan(0, 17)) != candidate[17])
            {
                return CitizenIdError.CheckCharacter;
            }
        }
        else if (span.Length == 15)
        {
            if (!AllDigits(span))
            {
                return CitizenIdError.Format;
            }

            // The 15-digit form (cards issued before 1999) has a two-digit 19xx year and no check character.
            var first17 = string.Concat(span[..6], "19", span[6..]);
            candidate = first17 + ComputeCheckCharacter(first17);
        }
        else
        {
            return CitizenIdError.Format;
        }

        if (!ProvinceCodes.IsKnown(candidate))
        {
            return CitizenIdError.UnknownProvince;
        }

        var year = ParseDigits(candidate.AsSpan(6, 4));
        var month = ParseDigits(candidate.AsSpan(10, 2));
        var day = ParseDigits(candidate.AsSpan(12, 2));
        if (month is < 1 or > 12 || day < 1 || year < Earliest.Year || day > DateTime.DaysInMonth(year, month))
        {
            return CitizenIdError.BirthDate;
        }

        if (new DateOnly(year, month, day) > today)
        {
            return CitizenIdError.FutureBirthDate;
        }

        normalised = candidate;
        return CitizenIdError.None;
    }

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int ParseDigits(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s)
        {
            n = (n * 10) + (c - '0');
        }

        return n;
    }

    /// <inheritdoc/>
    public bool Equals(CitizenId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CitizenId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Equality.</summary>
    public static bool operator ==(CitizenId left, CitizenId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(CitizenId left, CitizenId right) => !left.Equals(right);
}
