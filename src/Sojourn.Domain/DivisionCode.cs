using System.Diagnostics.CodeAnalysis;

namespace Sojourn.Domain;

/// <summary>
/// A six-digit GB/T 2260 administrative division code, e.g. <c>140105</c> (山西省太原市小店区).
/// Only the shape is validated here (six ASCII digits, known province prefix is NOT required):
/// whether a code is in the current table is a question for <c>Sojourn.Rules.Divisions.DivisionTable</c>,
/// because codes are retired over time and old codes stay on identity cards.
/// </summary>
/// <remarks>
/// Level is derived from trailing zeros: <c>xx0000</c> province, <c>xxxx00</c> prefecture, otherwise county.
/// <c>default(DivisionCode)</c> is empty: <see cref="Value"/> is "" and the derived properties
/// (<see cref="ProvinceCode"/>, <see cref="Level"/> ...) throw <see cref="InvalidOperationException"/>.
/// </remarks>
public readonly struct DivisionCode : IEquatable<DivisionCode>, IComparable<DivisionCode>
{
    private readonly string? _value;

    private DivisionCode(string value) => _value = value;

    private string Digits => _value ?? throw new InvalidOperationException("空的行政区划代码。");

    /// <summary>The six digits; empty for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default(DivisionCode)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Province-level code: first two digits followed by 0000 (140105 → 140000).</summary>
    public DivisionCode ProvinceCode => new(string.Concat(Digits.AsSpan(0, 2), "0000"));

    /// <summary>Prefecture-level code: first four digits followed by 00 (140105 → 140100).
    /// For a province-level code this is the code itself.</summary>
    public DivisionCode PrefectureCode => Level == DivisionLevel.Province
        ? this
        : new(string.Concat(Digits.AsSpan(0, 4), "00"));

    /// <summary>The two-digit province prefix as a number (14 for 140105).</summary>
    public int ProvincePrefix => ((Digits[0] - '0') * 10) + (Digits[1] - '0');

    /// <summary>Level derived from trailing zeros.</summary>
    public DivisionLevel Level =>
        Digits.AsSpan(2).SequenceEqual("0000") ? DivisionLevel.Province
        : Digits.AsSpan(4).SequenceEqual("00") ? DivisionLevel.Prefecture
        : DivisionLevel.County;

    /// <summary>
    /// True when the fifth digit is 7: the statistics bureau numbers development and economic zones
    /// (经济技术开发区, 高新区 ...) this way (e.g. 130171). They are not GB/T 2260 divisions.
    /// </summary>
    public bool IsDevelopmentZone => Value.Length == 6 && Value[4] == '7';

    /// <summary>True when the first two digits are one of the 34 province-level codes.</summary>
    public bool HasKnownProvince => ProvinceCodes.IsKnown(Value);

    /// <summary>True when <paramref name="s"/> is exactly six ASCII digits.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> s)
    {
        if (s.Length != 6)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses six ASCII digits (surrounding whitespace ignored). Codes with an unknown
    /// province prefix are accepted; use <see cref="HasKnownProvince"/> to check.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out DivisionCode code)
    {
        var span = s.AsSpan().Trim();
        if (!IsWellFormed(span))
        {
            code = default;
            return false;
        }

        code = new DivisionCode(span.Length == s!.Length ? s : span.ToString());
        return true;
    }

    /// <summary>Parses six ASCII digits or throws <see cref="FormatException"/>.</summary>
    public static DivisionCode Parse(string? s) =>
        TryParse(s, out var code) ? code : throw new FormatException("行政区划代码应为6位数字。");

    /// <summary>True when both codes are in the same province.</summary>
    public bool SameProvince(DivisionCode other) =>
        !IsEmpty && !other.IsEmpty && Value.AsSpan(0, 2).SequenceEqual(other.Value.AsSpan(0, 2));

    /// <inheritdoc/>
    public bool Equals(DivisionCode other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DivisionCode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public int CompareTo(DivisionCode other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The six digits.</summary>
    public override string ToString() => Value;

    /// <summary>Equality.</summary>
    public static bool operator ==(DivisionCode left, DivisionCode right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DivisionCode left, DivisionCode right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(DivisionCode left, DivisionCode right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(DivisionCode left, DivisionCode right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(DivisionCode left, DivisionCode right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(DivisionCode left, DivisionCode right) => left.CompareTo(right) >= 0;
}
