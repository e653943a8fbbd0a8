using Sojourn.Domain;

namespace Sojourn.Rules.Divisions;

/// <summary>One GB/T 2260 administrative division at province, prefecture or county level.</summary>
/// <param name="Code">Six-digit code.</param>
/// <param name="Name">Official name, e.g. 小店区.</param>
/// <param name="Level">Province, prefecture or county level.</param>
/// <param name="ParentCode">Parent's code; null for a province. Counties of a municipality (北京 ...) and
/// county-level units administered directly by a province (仙桃市 429004) have the province as parent.</param>
/// <param name="IsUrbanDistrict">True for a 市辖区 (see data/gbt2260/README.md for the rule).</param>
/// <param name="FullName">Names from the province down, e.g. 山西省太原市小店区.</param>
public sealed record Division(
    string Code,
    string Name,
    DivisionLevel Level,
    string? ParentCode,
    bool IsUrbanDistrict,
    string FullName);

/// <summary>Result of <see cref="DivisionTable.Check(string?)"/>.</summary>
public enum DivisionStatus
{
    /// <summary>In the current table.</summary>
    Known,

    /// <summary>Six digits with a known province, but not in the current table: a retired code (e.g. 440524)
    /// or one never issued. Identity numbers keep retired codes, so this is never a reason to reject them.</summary>
    UnknownOrRetired,

    /// <summary>Not six ASCII digits, or the first two digits are no province.</summary>
    Invalid,
}
