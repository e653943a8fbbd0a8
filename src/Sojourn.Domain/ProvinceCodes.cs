namespace Sojourn.Domain;

/// <summary>
/// The 34 province-level codes of GB/T 2260 (first two digits): 11..65 for the 31 provinces,
/// autonomous regions and municipalities, 71 台湾省, 81 香港特别行政区, 82 澳门特别行政区.
/// Kept as a constant here because Domain does no I/O; the full table lives in Sojourn.Rules.
/// This list has not changed since 1997 (重庆 50 was the last addition).
/// </summary>
public static class ProvinceCodes
{
    // Index = two-digit prefix; a 100-slot bitmap makes the check allocation-free.
    private static readonly bool[] Known = Build(
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
        41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
        71, 81, 82);

    /// <summary>All 34 two-digit prefixes, ascending.</summary>
    public static IReadOnlyList<int> All { get; } =
        Enumerable.Range(0, 100).Where(i => Known[i]).ToArray();

    /// <summary>True when <paramref name="prefix"/> (0..99) is a province-level code.</summary>
    public static bool IsKnown(int prefix) => prefix is >= 0 and < 100 && Known[prefix];

    /// <summary>True when the first two characters of <paramref name="code"/> are a known province prefix.</summary>
    public static bool IsKnown(ReadOnlySpan<char> code) =>
        code.Length >= 2 && char.IsAsciiDigit(code[0]) && char.IsAsciiDigit(code[1])
        && Known[((code[0] - '0') * 10) + (code[1] - '0')];

    private static bool[] Build(params int[] codes)
    {
        var known = new bool[100];
        foreach (var c in codes)
        {
            known[c] = true;
        }

        return known;
    }
}
