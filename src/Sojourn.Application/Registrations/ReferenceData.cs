using Sojourn.Domain;
using Sojourn.Rules.Divisions;
using Tables = Sojourn.Rules.CodeTables;

namespace Sojourn.Application.Registrations;

/// <summary>The national code tables the registration form is checked against (from Sojourn.Rules).</summary>
internal static class ReferenceData
{
    public static readonly string[] Sexes = ["male", "female"];
    public static readonly string[] Employment = ["employed", "self-employed", "flexible", "unemployed", "student", "retired", "other"];
    public static readonly string[] SocialInsurance = ["pension", "medical", "unemployment", "work-injury", "maternity"];
    public static readonly string[] MaritalStatus = ["unmarried", "married", "divorced", "widowed"];
    public static readonly string[] Purposes = ["work", "business", "study", "family-visit", "tourism", "business-trip", "medical", "other"];
    public static readonly string[] Lodgings = ["rental", "owned", "employer-dormitory", "relatives", "hotel", "hospital", "school-boarding", "relief-station", "other"];
    public static readonly string[] Channels = ["self", "officer", "collector"];

    public static DivisionStatus CheckDivision(string code) => DivisionTable.Default.Check(code);

    public static Division? FindDivision(string? code) => DivisionTable.Default.Find(code);

    public static bool IsCounty(string code) => FindDivision(code) is { Level: DivisionLevel.County };

    public static string? DivisionName(string? code) => FindDivision(code)?.FullName;

    public static bool IsEthnicGroup(string code) => Tables.EthnicGroups.Contains(code);

    public static string? EthnicGroupName(string? code) => Tables.EthnicGroups.NameOf(code);

    public static bool IsEducationLevel(string code) => Tables.EducationLevels.Contains(code);

    public static string? EducationName(string? code) => Tables.EducationLevels.NameOf(code);

    public static string ToApi(Sex sex) => sex == Sex.Male ? "male" : "female";
}
