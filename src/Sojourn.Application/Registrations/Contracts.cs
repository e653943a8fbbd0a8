using System.Text.Json.Serialization;

namespace Sojourn.Application.Registrations;

/// <summary>
/// The content of a residence registration (山西2017 第十一条). On declaration every required field is
/// given; on correction or change only the fields that differ (null = unchanged; a given
/// <see cref="Children"/> list replaces the whole list).
/// </summary>
public class RecordInput
{
    /// <summary>姓名.</summary>
    public string? Name { get; init; }

    /// <summary>性别: male | female; must agree with the identity number.</summary>
    public string? Sex { get; init; }

    /// <summary>民族, GB/T 3304 code (01 汉族).</summary>
    public string? EthnicGroup { get; init; }

    /// <summary>出生日期; must agree with the identity number when given.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>公民身份号码 (GB 11643).</summary>
    public string? IdNumber { get; init; }

    /// <summary>常住户籍所在地: GB/T 2260 code and address.</summary>
    public string? HukouDivision { get; init; }

    public string? HukouAddress { get; init; }

    /// <summary>居住地: county-level GB/T 2260 code and address.</summary>
    public string? ResidenceDivision { get; init; }

    public string? ResidenceAddress { get; init; }

    /// <summary>服务处所.</summary>
    public string? Workplace { get; init; }

    /// <summary>
    /// 用人单位: the code of an establishment of kind employer (统一社会信用代码 or the station's number). Optional; with
    /// <see cref="HiredOn"/> or not at all.
    /// </summary>
    public string? EmployerCode { get; init; }

    /// <summary>入职日期: the day of the hire by <see cref="EmployerCode"/>; not after today.</summary>
    public DateOnly? HiredOn { get; init; }

    /// <summary>受教育状况, GB/T 4658 code.</summary>
    public string? Education { get; init; }

    /// <summary>劳动就业: employed | self-employed | flexible | unemployed | student | retired | other.</summary>
    public string? Employment { get; init; }

    /// <summary>社会保障: kinds held, each pension | medical | unemployment | work-injury | maternity.</summary>
    public IReadOnlyList<string>? SocialInsurance { get; init; }

    /// <summary>计划生育: marital status unmarried | married | divorced | widowed.</summary>
    public string? MaritalStatus { get; init; }

    /// <summary>计划生育: holds the marriage and childbirth certificate (婚育证明).</summary>
    public bool? MarriageBirthCertificate { get; init; }

    /// <summary>到达居住地日期; not after today.</summary>
    public DateOnly? ArrivedOn { get; init; }

    /// <summary>拟居住天数.</summary>
    public int? IntendedDays { get; init; }

    /// <summary>work | business | study | family-visit | tourism | business-trip | medical | other.</summary>
    public string? Purpose { get; init; }

    /// <summary>rental | owned | employer-dormitory | relatives | hotel | hospital | school-boarding | relief-station | other.</summary>
    public string? Lodging { get; init; }

    /// <summary>未满16周岁的随行人员.</summary>
    public IReadOnlyList<ChildInput>? Children { get; init; }
}

/// <summary>An accompanying child under 16; the identity number is optional.</summary>
public sealed record ChildInput(string? Name, string? Sex, DateOnly? BirthDate, string? IdNumber);

/// <summary>
/// Who declares. channel: self (the person), officer (民警 on their behalf) or collector (社区协管员).
/// Omitted: the person themself. The actor who entered the data is the signed-in account (CurrentActor).
/// </summary>
public sealed record DeclarantInput(string? Channel, string? Name, string? Role);

public sealed class DeclareRequest : RecordInput
{
    public DeclarantInput? Declarant { get; init; }
}

/// <summary>Correction (更正) or change (变更): the fields that differ, why, and the version read.</summary>
internal sealed record AmendRequest(int? Version, string? Reason, DeclarantInput? Declarant, RecordInput? Changes);

/// <summary>The station of the residence confirms and issues the certificate number.</summary>
public sealed record ConfirmRequest(int? Version, string? StationCode, string? StationName, string? OfficerName);

/// <summary>The person left: the stay ends on <see cref="DepartedOn"/>.</summary>
internal sealed record DepartureRequest(int? Version, DateOnly? DepartedOn, string? Reason, DeclarantInput? Declarant);

public sealed record CodeName(string Code, string? Name);

public sealed record ChildDto(string Name, string Sex, DateOnly BirthDate, string? IdNumber);

/// <summary>
/// A registration record as the caller's field view shows it: only the fields the view holds are set (built by
/// <see cref="RegistrationProjection"/> from the view); the others are null and left out of the JSON.
/// </summary>
public sealed record RecordDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sex,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeName? EthnicGroup,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? BirthDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeName? HukouDivision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HukouAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeName? ResidenceDivision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResidenceAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Workplace,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeName? Employer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? HiredOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeName? Education,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Employment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? SocialInsurance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MaritalStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? MarriageBirthCertificate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? ArrivedOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? IntendedDays,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Purpose,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Lodging,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? HasPhoto,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ChildDto>? Children);

public sealed record StationDto(string Code, string? Name);

public sealed record DeclarantDto(string Channel, string Name, string? Role);

public sealed record RegistrationDto(
    Guid Id,
    string Status,
    int Version,
    string? CertificateNumber,
    StationDto? Station,
    DateTime DeclaredAt,
    DateTime? ConfirmedAt,
    DateOnly? DepartedOn,
    RecordDto Record,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ViewBasis = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Compliance.RegistrationDutyDto? RegistrationDuty = null);

public sealed record VersionDto(
    int Number,
    string Kind,
    string Status,
    DateTime RecordedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RecordedBy,
    DeclarantDto Declarant,
    string? Reason,
    string? CertificateNumber,
    StationDto? Station,
    DateOnly? DepartedOn,
    RecordDto Record);

public sealed record RegistrationSummaryDto(
    Guid Id,
    string Status,
    int Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdNumber,
    string ResidenceDivision,
    string? StationCode,
    string? CertificateNumber,
    DateOnly ArrivedOn,
    DateOnly? DepartedOn,
    DateTime DeclaredAt,
    DateOnly? RegistrationDue = null,
    string? RegistrationDutyStatus = null);

public sealed record PageDto<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record PhotoDto(Guid Id, string ContentType, int Size, string Sha256, int Version);

/// <summary>A reporter's declaration that an existing registration already covers (no id, no data of it).</summary>
internal sealed record ReportReceivedDto(string Status, string Message);
