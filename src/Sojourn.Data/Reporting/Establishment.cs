namespace Sojourn.Data.Reporting;

/// <summary>
/// What a reporter answers for: a landlord's house, an agency, an employer, a market or building site, a hotel, a
/// hospital, a boarding school, a relief station or a labour broker. Its kind decides which duty of the policy its
/// reports meet (<see cref="EstablishmentKind"/>); its division and station are the jurisdiction of its reports.
/// </summary>
public sealed class Establishment
{
    private Establishment()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>A code of its own (统一社会信用代码 or a station-assigned number), unique.</summary>
    public string Code { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>One of <see cref="EstablishmentKind.All"/>.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>individual | organization: some articles fine the two differently.</summary>
    public string PartyKind { get; private set; } = "organization";

    /// <summary>County-level GB/T 2260 code of its address: the jurisdiction of its reports.</summary>
    public string DivisionCode { get; private set; } = "";

    public string? StationCode { get; private set; }
    public string Address { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    public static Establishment Create(Guid id, string code, string name, string kind, string partyKind, string divisionCode,
        string? stationCode, string address, DateTime now) => new()
        {
            Id = id,
            Code = code,
            Name = name,
            Kind = kind,
            PartyKind = partyKind,
            DivisionCode = divisionCode,
            StationCode = stationCode,
            Address = address,
            CreatedAt = now,
        };
}

/// <summary>A reporter account that may report for an establishment (a landlord and their agent, an employer's clerk).</summary>
public sealed class EstablishmentReporter
{
    public Guid EstablishmentId { get; set; }
    public string AccountId { get; set; } = "";
    public DateTime LinkedAt { get; set; }
}

/// <summary>The coded kinds of establishment and the policy party each one's reports answer to.</summary>
public static class EstablishmentKind
{
    public const string Landlord = "landlord";
    public const string RentalAgency = "rental-agency";
    public const string JobAgency = "job-agency";
    public const string Employer = "employer";
    public const string Market = "market";
    public const string ConstructionSite = "construction-site";
    public const string Hotel = "hotel";
    public const string Hospital = "hospital";
    public const string BoardingSchool = "boarding-school";
    public const string ReliefStation = "relief-station";
    public const string LabourBroker = "labour-broker";

    public static readonly IReadOnlyList<string> All =
    [
        Landlord, RentalAgency, JobAgency, Employer, Market, ConstructionSite, Hotel, Hospital, BoardingSchool, ReliefStation, LabourBroker,
    ];

    /// <summary>The contract's party (policy-evaluation.md) whose duties this kind's reports meet; null: none in any policy (劳务经纪人, 宁夏 第十九条).</summary>
    public static string? Party(string kind) => kind switch
    {
        Landlord => "landlord",
        RentalAgency or JobAgency => "agency",
        Employer => "employer",
        Market or ConstructionSite => "market",
        Hotel or Hospital or BoardingSchool or ReliefStation => "establishment",
        _ => null,
    };

    /// <summary>The stay's lodging (contract vocabulary) where the kind implies it (a hotel guest lodges in a hotel).</summary>
    public static string? Lodging(string kind) => kind switch
    {
        Landlord => "rental",
        Hotel => "hotel",
        Hospital => "hospital",
        BoardingSchool => "school-boarding",
        ReliefStation => "relief-station",
        _ => null,
    };
}
