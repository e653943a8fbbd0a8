namespace Sojourn.Rules.Evaluation;

/// <summary>Who the person is (contract vocabulary <c>category</c>).</summary>
public enum PersonCategory
{
    /// <summary>mainland</summary>
    Mainland,

    /// <summary>hong-kong</summary>
    HongKong,

    /// <summary>macao</summary>
    Macao,

    /// <summary>taiwan</summary>
    Taiwan,

    /// <summary>overseas-chinese</summary>
    OverseasChinese,

    /// <summary>foreigner</summary>
    Foreigner,

    /// <summary>stateless</summary>
    Stateless,
}

/// <summary>Purpose of the stay.</summary>
public enum StayPurpose
{
    /// <summary>work</summary>
    Work,

    /// <summary>business</summary>
    Business,

    /// <summary>study</summary>
    Study,

    /// <summary>family-visit</summary>
    FamilyVisit,

    /// <summary>tourism</summary>
    Tourism,

    /// <summary>business-trip</summary>
    BusinessTrip,

    /// <summary>medical</summary>
    Medical,

    /// <summary>other</summary>
    Other,
}

/// <summary>Where the person lodges.</summary>
public enum Lodging
{
    /// <summary>rental</summary>
    Rental,

    /// <summary>owned</summary>
    Owned,

    /// <summary>employer-dormitory</summary>
    EmployerDormitory,

    /// <summary>relatives</summary>
    Relatives,

    /// <summary>hotel</summary>
    Hotel,

    /// <summary>hospital</summary>
    Hospital,

    /// <summary>school-boarding</summary>
    SchoolBoarding,

    /// <summary>relief-station</summary>
    ReliefStation,

    /// <summary>other</summary>
    Other,
}

/// <summary>Whether a landlord or employer is a natural person or an organisation.</summary>
public enum PartyKind
{
    /// <summary>individual</summary>
    Individual,

    /// <summary>organization</summary>
    Organization,
}

/// <summary>The party that owes a duty.</summary>
public enum Party
{
    /// <summary>person</summary>
    Person,

    /// <summary>landlord</summary>
    Landlord,

    /// <summary>employer</summary>
    Employer,

    /// <summary>market</summary>
    Market,

    /// <summary>station (公安派出所)</summary>
    Station,

    /// <summary>agency: a rental or job agency (中介机构; extension)</summary>
    Agency,

    /// <summary>establishment: a hotel, hospital, boarding school or relief station that registers its guests (extension)</summary>
    Establishment,
}

/// <summary>Kebab-case names of the contract vocabulary, both ways.</summary>
public static class Vocabulary
{
    private static readonly string[] Categories =
        ["mainland", "hong-kong", "macao", "taiwan", "overseas-chinese", "foreigner", "stateless"];

    private static readonly string[] Purposes =
        ["work", "business", "study", "family-visit", "tourism", "business-trip", "medical", "other"];

    private static readonly string[] Lodgings =
        ["rental", "owned", "employer-dormitory", "relatives", "hotel", "hospital", "school-boarding", "relief-station", "other"];

    private static readonly string[] PartyKinds = ["individual", "organization"];

    private static readonly string[] Parties = ["person", "landlord", "employer", "market", "station", "agency", "establishment"];

    /// <summary>Kebab-case name.</summary>
    public static string Name(PersonCategory v) => Categories[(int)v];

    /// <summary>Kebab-case name.</summary>
    public static string Name(StayPurpose v) => Purposes[(int)v];

    /// <summary>Kebab-case name.</summary>
    public static string Name(Lodging v) => Lodgings[(int)v];

    /// <summary>Kebab-case name.</summary>
    public static string Name(PartyKind v) => PartyKinds[(int)v];

    /// <summary>Kebab-case name.</summary>
    public static string Name(Party v) => Parties[(int)v];

    /// <summary>Parses a category name.</summary>
    public static bool TryParse(string? s, out PersonCategory v) => TryIndex(Categories, s, out v);

    /// <summary>Parses a purpose name.</summary>
    public static bool TryParse(string? s, out StayPurpose v) => TryIndex(Purposes, s, out v);

    /// <summary>Parses a lodging name.</summary>
    public static bool TryParse(string? s, out Lodging v) => TryIndex(Lodgings, s, out v);

    /// <summary>Parses a party kind.</summary>
    public static bool TryParse(string? s, out PartyKind v) => TryIndex(PartyKinds, s, out v);

    /// <summary>Parses a party.</summary>
    public static bool TryParse(string? s, out Party v) => TryIndex(Parties, s, out v);

    /// <summary>All names of an enum's vocabulary, for messages.</summary>
    public static string Names<T>()
        where T : struct, Enum => typeof(T).Name switch
        {
            nameof(PersonCategory) => string.Join(", ", Categories),
            nameof(StayPurpose) => string.Join(", ", Purposes),
            nameof(Lodging) => string.Join(", ", Lodgings),
            nameof(PartyKind) => string.Join(", ", PartyKinds),
            nameof(Party) => string.Join(", ", Parties),
            _ => string.Empty,
        };

    private static bool TryIndex<T>(string[] names, string? s, out T v)
        where T : struct, Enum
    {
        var i = s is null ? -1 : Array.IndexOf(names, s);
        v = i < 0 ? default : (T)(object)i;
        return i >= 0;
    }
}
