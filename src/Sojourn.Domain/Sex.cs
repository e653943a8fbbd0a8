namespace Sojourn.Domain;

/// <summary>
/// Sex as carried by a citizen identity number. Values equal the GB/T 2261.1 codes
/// (1 男, 2 女); the standard's 0 未知的性别 and 9 未说明的性别 are in the code table
/// (<c>data/gbt2261/</c>) and never derive from an identity number.
/// </summary>
public enum Sex
{
    /// <summary>男 (GB/T 2261.1 code 1).</summary>
    Male = 1,

    /// <summary>女 (GB/T 2261.1 code 2).</summary>
    Female = 2,
}
