using System.Globalization;
using System.Text.Json;
using Sojourn.Domain;
using Sojourn.Rules.Divisions;

namespace Sojourn.Rules.Evaluation;

/// <summary>Why a case was rejected: a zh-CN message and the offending field (dotted path).</summary>
public sealed record CaseError(string Message, string Field);

/// <summary>
/// Reads the contract's case JSON into a <see cref="PolicyCase"/>, rejecting bad values with the
/// field they came from. Unknown fields are ignored; missing optional facts mean "not done / not known".
/// </summary>
public sealed class CaseParser
{
    /// <summary>Values of person.maritalStatus (the registration record's vocabulary).</summary>
    public static readonly string[] MaritalStatuses = ["unmarried", "married", "divorced", "widowed"];

    private readonly TimeProvider _time;
    private readonly DivisionTable _divisions;

    /// <summary>Creates a parser; <paramref name="time"/> gives "today" for identity-number birth dates.</summary>
    public CaseParser(TimeProvider time, DivisionTable? divisions = null)
    {
        _time = time;
        _divisions = divisions ?? DivisionTable.Default;
    }

    /// <summary>Parses one case object.</summary>
    public PolicyCase? Parse(JsonElement json, out CaseError? error)
    {
        try
        {
            error = null;
            return Read(json);
        }
        catch (CaseRejected e)
        {
            error = new CaseError(e.Message, e.Field);
            return null;
        }
    }

    private PolicyCase Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CaseRejected("案例应为 JSON 对象。", "");
        }

        var c = new PolicyCase
        {
            Policy = String(root, "policy", "policy"),
            AsOf = Date(root, "asOf", "asOf") ?? throw new CaseRejected("请填写评估日期 asOf（YYYY-MM-DD）。", "asOf"),
        };

        var person = Object(root, "person", "person", required: true)!.Value;
        var categoryText = String(person, "category", "person.category");
        var category = PersonCategory.Mainland;
        if (categoryText is not null && !Vocabulary.TryParse(categoryText, out category))
        {
            throw new CaseRejected($"人员类别“{categoryText}”无效，应为：{Vocabulary.Names<PersonCategory>()}。", "person.category");
        }

        c.Category = category;
        var birth = Date(person, "birthDate", "person.birthDate");
        var sexText = String(person, "sex", "person.sex");
        if (sexText is not (null or "male" or "female"))
        {
            throw new CaseRejected($"性别“{sexText}”无效，应为 male 或 female。", "person.sex");
        }

        if (String(person, "idNumber", "person.idNumber") is { } idText)
        {
            var today = DateOnly.FromDateTime(_time.GetLocalNow().DateTime);
            if (!CitizenId.TryParse(idText, today, out var id, out var idError))
            {
                throw new CaseRejected(CitizenId.Describe(idError), "person.idNumber");
            }

            if (birth is { } b && b != id.BirthDate)
            {
                throw new CaseRejected("出生日期与公民身份号码中的出生日期不一致。", "person.birthDate");
            }

            var idSex = id.Sex == Sex.Male ? "male" : "female";
            if (sexText is not null && sexText != idSex)
            {
                throw new CaseRejected("性别与公民身份号码中的性别不一致。", "person.sex");
            }

            birth = id.BirthDate;
        }

        c.BirthDate = birth;
        var marital = String(person, "maritalStatus", "person.maritalStatus");
        if (marital is not null && !MaritalStatuses.Contains(marital, StringComparer.Ordinal))
        {
            throw new CaseRejected($"婚姻状况“{marital}”无效，应为：{string.Join(", ", MaritalStatuses)}。", "person.maritalStatus");
        }

        c.MaritalStatus = marital;
        c.HukouDivision = Division(person, "hukouDivision", "person.hukouDivision", required: c.Category == PersonCategory.Mainland);

        var stay = Object(root, "stay", "stay", required: true)!.Value;
        c.ResidenceDivision = Division(stay, "residenceDivision", "stay.residenceDivision", required: true)!;
        SetDate(c, stay, "arrivedOn", "stay.arrivedOn", CaseField.StayArrivedOn);
        c.IntendedDays = Int(stay, "intendedDays", "stay.intendedDays");
        if (String(stay, "purpose", "stay.purpose") is { } purpose)
        {
            c.Purpose = Vocabulary.TryParse(purpose, out StayPurpose p) ? p
                : throw new CaseRejected($"居住事由“{purpose}”无效，应为：{Vocabulary.Names<StayPurpose>()}。", "stay.purpose");
        }

        if (String(stay, "lodging", "stay.lodging") is { } lodging)
        {
            c.Lodging = Vocabulary.TryParse(lodging, out Lodging l) ? l
                : throw new CaseRejected($"居住处所“{lodging}”无效，应为：{Vocabulary.Names<Lodging>()}。", "stay.lodging");
        }

        c.RemoteArea = Bool(stay, "remoteArea", "stay.remoteArea");
        c.Area = String(stay, "area", "stay.area");

        if (Object(root, "facts", "facts") is { } facts)
        {
            SetDate(c, facts, "registeredOn", "facts.registeredOn", CaseField.FactsRegisteredOn);
            SetDate(c, facts, "changedOn", "facts.changedOn", CaseField.FactsChangedOn);
            SetDate(c, facts, "changeReportedOn", "facts.changeReportedOn", CaseField.FactsChangeReportedOn);
            SetDate(c, facts, "marriageBirthCertificateSubmittedOn", "facts.marriageBirthCertificateSubmittedOn", CaseField.FactsMarriageBirthCertificateSubmittedOn);
            c.SocialInsuranceMonths = Int(facts, "socialInsuranceMonths", "facts.socialInsuranceMonths") ?? 0;
            c.LaborContractMonths = Int(facts, "laborContractMonths", "facts.laborContractMonths") ?? 0;
            c.BusinessLicenseMonths = Int(facts, "businessLicenseMonths", "facts.businessLicenseMonths") ?? 0;
            c.AgriculturalContractMonths = Int(facts, "agriculturalContractMonths", "facts.agriculturalContractMonths") ?? 0;
            c.OwnsHome = Bool(facts, "ownsHome", "facts.ownsHome");
            c.RentalContract = Bool(facts, "rentalContract", "facts.rentalContract");
            c.EmployerDormitory = Bool(facts, "employerDormitory", "facts.employerDormitory");
            c.EnrolledFullTime = Bool(facts, "enrolledFullTime", "facts.enrolledFullTime");
            c.TalentOrInvestor = Bool(facts, "talentOrInvestor", "facts.talentOrInvestor");
            c.MarriageBirthCertificate = Bool(facts, "marriageBirthCertificate", "facts.marriageBirthCertificate");
            c.EarlierResidences = EarlierResidences(facts);
        }

        if (Object(root, "landlord", "landlord") is { } landlord)
        {
            c.LandlordKind = Kind(landlord, "landlord.kind") ?? PartyKind.Individual;
            SetDate(c, landlord, "movedInAt", "landlord.movedInAt", CaseField.LandlordMovedInAt, allowTime: true);
            SetDate(c, landlord, "registeredAt", "landlord.registeredAt", CaseField.LandlordRegisteredAt, allowTime: true);
            SetDate(c, landlord, "reportedOn", "landlord.reportedOn", CaseField.LandlordReportedOn);
            SetDate(c, landlord, "movedOutOn", "landlord.movedOutOn", CaseField.LandlordMovedOutOn);
            SetDate(c, landlord, "departureReportedOn", "landlord.departureReportedOn", CaseField.LandlordDepartureReportedOn);
        }

        if (Object(root, "employer", "employer") is { } employer)
        {
            c.EmployerKind = Kind(employer, "employer.kind") ?? PartyKind.Organization;
            SetDate(c, employer, "hiredOn", "employer.hiredOn", CaseField.EmployerHiredOn);
            SetDate(c, employer, "reportedOn", "employer.reportedOn", CaseField.EmployerReportedOn);
            SetDate(c, employer, "terminatedOn", "employer.terminatedOn", CaseField.EmployerTerminatedOn);
            SetDate(c, employer, "terminationReportedOn", "employer.terminationReportedOn", CaseField.EmployerTerminationReportedOn);
        }

        if (Object(root, "market", "market") is { } market)
        {
            SetDate(c, market, "enteredOn", "market.enteredOn", CaseField.MarketEnteredOn);
            SetDate(c, market, "reportedOn", "market.reportedOn", CaseField.MarketReportedOn);
        }

        if (Object(root, "agency", "agency") is { } agency)
        {
            SetDate(c, agency, "introducedOn", "agency.introducedOn", CaseField.AgencyIntroducedOn);
            SetDate(c, agency, "reportedOn", "agency.reportedOn", CaseField.AgencyReportedOn);
            SetDate(c, agency, "movedOutOn", "agency.movedOutOn", CaseField.AgencyMovedOutOn);
            SetDate(c, agency, "departureReportedOn", "agency.departureReportedOn", CaseField.AgencyDepartureReportedOn);
        }

        if (Object(root, "establishment", "establishment") is { } establishment)
        {
            SetDate(c, establishment, "enteredOn", "establishment.enteredOn", CaseField.EstablishmentEnteredOn);
            SetDate(c, establishment, "reportedOn", "establishment.reportedOn", CaseField.EstablishmentReportedOn);
        }

        if (Object(root, "permit", "permit") is { } permit)
        {
            SetDate(c, permit, "appliedOn", "permit.appliedOn", CaseField.PermitAppliedOn);
            SetDate(c, permit, "issuedOn", "permit.issuedOn", CaseField.PermitIssuedOn);
            if (permit.TryGetProperty("endorsedOn", out var e) && e.ValueKind != JsonValueKind.Null)
            {
                if (e.ValueKind != JsonValueKind.Array)
                {
                    throw new CaseRejected("签注日期 endorsedOn 应为日期数组。", "permit.endorsedOn");
                }

                var list = new List<DateOnly>();
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    var field = $"permit.endorsedOn[{i++}]";
                    list.Add(ParseDate(item, field, allowTime: false).Date);
                }

                list.Sort();
                c.EndorsedOn = [.. list];
                if (list.Count > 0)
                {
                    c.Set(CaseField.PermitEndorsedOn, Moment.OfDate(list[0]));
                }
            }
        }

        return c;
    }

    private string? Division(JsonElement obj, string name, string field, bool required)
    {
        var code = String(obj, name, field);
        if (code is null)
        {
            return required ? throw new CaseRejected($"请填写行政区划代码 {field}（6位 GB/T 2260 代码）。", field) : null;
        }

        return _divisions.Check(code) == DivisionStatus.Invalid
            ? throw new CaseRejected($"“{code}”不是有效的6位行政区划代码。", field)
            : code;
    }

    // facts.earlierResidences (an extension of the contract's input): only a policy with residence continuity reads it.
    private List<EarlierResidence> EarlierResidences(JsonElement facts)
    {
        if (!facts.TryGetProperty("earlierResidences", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() > MaxEarlierResidences)
        {
            throw new CaseRejected($"facts.earlierResidences 应为不超过 {MaxEarlierResidences} 项的数组。", "facts.earlierResidences");
        }

        var list = new List<EarlierResidence>();
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"facts.earlierResidences[{i++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new CaseRejected($"{field} 应为对象。", field);
            }

            var from = Date(item, "registeredOn", field + ".registeredOn") ?? throw new CaseRejected($"缺少 {field}.registeredOn。", field + ".registeredOn");
            var until = Date(item, "endedOn", field + ".endedOn") ?? throw new CaseRejected($"缺少 {field}.endedOn。", field + ".endedOn");
            if (until < from)
            {
                throw new CaseRejected($"{field}.endedOn 早于 registeredOn。", field + ".endedOn");
            }

            list.Add(new EarlierResidence(Division(item, "division", field + ".division", required: true)!, String(item, "area", field + ".area"), from, until));
        }

        return list;
    }

    private static PartyKind? Kind(JsonElement obj, string field)
    {
        var s = String(obj, "kind", field);
        if (s is null)
        {
            return null;
        }

        return Vocabulary.TryParse(s, out PartyKind k) ? k : throw new CaseRejected($"“{s}”无效，应为 individual 或 organization。", field);
    }

    private static JsonElement? Object(JsonElement obj, string name, string field, bool required = false)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new CaseRejected($"缺少 {field}。", field) : null;
        }

        return v.ValueKind == JsonValueKind.Object ? v : throw new CaseRejected($"{field} 应为对象。", field);
    }

    private static string? String(JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new CaseRejected($"{field} 应为字符串。", field);
    }

    private static int? Int(JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i) || i < 0)
        {
            throw new CaseRejected($"{field} 应为非负整数。", field);
        }

        // A technical bound, not a legal one: day and month counts beyond it overflow the calendar arithmetic.
        return i <= MaxCount ? i : throw new CaseRejected($"{field} 不能超过 {MaxCount}。", field);
    }

    private static bool Bool(JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new CaseRejected($"{field} 应为 true 或 false。", field),
        };
    }

    private static DateOnly? Date(JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return ParseDate(v, field, allowTime: false).Date;
    }

    private static void SetDate(PolicyCase c, JsonElement obj, string name, string field, CaseField f, bool allowTime = false)
    {
        if (obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
        {
            c.Set(f, ParseDate(v, field, allowTime));
        }
    }

    private static Moment ParseDate(JsonElement v, string field, bool allowTime)
    {
        var s = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (!Moment.TryParse(s, out var m) || (m.HasTime && !allowTime))
        {
            var shape = allowTime ? "日期（YYYY-MM-DD）或日期时间（YYYY-MM-DDTHH:mm）" : "日期（YYYY-MM-DD）";
            throw new CaseRejected(string.Create(CultureInfo.InvariantCulture, $"{field} 应为{shape}。"), field);
        }

        if (!InRange(m.Date))
        {
            throw new CaseRejected(string.Create(CultureInfo.InvariantCulture,
                $"{field} 超出可评估的日期范围（{MinDate:yyyy-MM-dd} 至 {MaxDate:yyyy-MM-dd}）。"), field);
        }

        return m;
    }

    /// <summary>
    /// The dates a case may carry. Technical bounds, not legal ones: every period the policies define (years
    /// of validity, months of residence) added to a date inside them stays far from DateOnly.MaxValue, and
    /// no living person was born before the lower one.
    /// </summary>
    public static readonly DateOnly MinDate = new(1900, 1, 1);

    /// <inheritdoc cref="MinDate"/>
    public static readonly DateOnly MaxDate = new(2199, 12, 31);

    /// <summary>Whether <paramref name="date"/> is within <see cref="MinDate"/>–<see cref="MaxDate"/>: the one bound for cases, the CLI's options and the web's JSON bodies.</summary>
    public static bool InRange(DateOnly date) => date >= MinDate && date <= MaxDate;

    /// <summary>The largest day or month count a case may carry (see <see cref="MinDate"/>).</summary>
    public const int MaxCount = 36_500;

    /// <summary>A technical bound on facts.earlierResidences: a residence history, not a register.</summary>
    public const int MaxEarlierResidences = 50;

    private sealed class CaseRejected(string message, string field) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
