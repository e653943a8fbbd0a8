using Sojourn.Application;
using Sojourn.Application.Errors;
using Sojourn.Application.Registrations;
using Sojourn.Data.Access;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Registration;

/// <summary>
/// The registration decisions and the field-view projection without HTTP or a database: plain functions over
/// plain values (no factory, no connection).
/// </summary>
public sealed class RegistrationRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);
    private static readonly IdentityProtector Protector = new(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void RequireVersion_Missing_Is428()
    {
        Assert.Equal(ErrorCode.PreconditionRequired, RegistrationRules.RequireVersion(null)?.Code);
        Assert.Null(RegistrationRules.RequireVersion(3));
    }

    [Theory]
    [InlineData(2, 3, RegistrationStatus.Declared, 10004)]
    [InlineData(3, 3, RegistrationStatus.Ended, 20003)]
    [InlineData(3, 3, RegistrationStatus.Confirmed, 0)]
    [InlineData(1, 1, RegistrationStatus.Declared, 0)]
    public void MayUpdate_StaleOrEndedIsRefused(int expected, int current, string status, int code)
    {
        var failure = RegistrationRules.MayUpdate(expected, current, status);

        Assert.Equal(code, failure?.Code.Code ?? 0);
    }

    [Fact]
    public void MayUpdate_Stale_NamesTheCurrentVersion()
    {
        var failure = RegistrationRules.MayUpdate(1, 7, RegistrationStatus.Declared);

        Assert.Contains("7", failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void MayDeclareFor_MigrantForSomeoneElse_Is403_ForThemselfAllowed()
    {
        var migrant = new ActorScope(ActorReach.Person, [], [], "own-hash", "acc");

        Assert.Equal(30006, RegistrationRules.MayDeclareFor(migrant, "other-hash", "140105")?.Code.Code);
        Assert.Equal(403, RegistrationRules.MayDeclareFor(migrant, "other-hash", "140105")?.Code.Status);
        Assert.Null(RegistrationRules.MayDeclareFor(migrant, "own-hash", "140105"));
    }

    [Fact]
    public void MayDeclareFor_OfficialOutsideJurisdiction_Is10040()
    {
        var officer = new ActorScope(ActorReach.Jurisdiction, ["140105"], [], null, "acc");

        Assert.Equal(ErrorCode.OutsideJurisdiction, RegistrationRules.MayDeclareFor(officer, "h", "140106")?.Code);
        Assert.Null(RegistrationRules.MayDeclareFor(officer, "h", "140105"));
        Assert.Null(RegistrationRules.MayDeclareFor(ActorScope.System, "h", "370202"));
    }

    [Fact]
    public void CheckConfirm_AlreadyConfirmed_IsRefusedBeforeTheFields()
    {
        var errors = new FieldErrors();

        var failure = RegistrationRules.CheckConfirm(RegistrationStatus.Confirmed, "140105", null, null, null, errors);

        Assert.Equal(ErrorCode.AlreadyConfirmed, failure?.Code);
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("140105000001", "亲贤派出所", "李警官", "")]
    [InlineData("14010500000", "亲贤派出所", "李警官", "stationCode")]
    [InlineData("1401050000AB", "亲贤派出所", "李警官", "stationCode")]
    [InlineData("140106000001", "亲贤派出所", "李警官", "stationCode")]
    [InlineData(null, "亲贤派出所", "李警官", "stationCode")]
    [InlineData("140105000001", "", "李警官", "stationName")]
    [InlineData("140105000001", "亲贤派出所", null, "officerName")]
    public void CheckConfirm_StationOfTheResidence_NamedAndSigned(string? code, string? name, string? officer, string badField)
    {
        var errors = new FieldErrors();

        Assert.Null(RegistrationRules.CheckConfirm(RegistrationStatus.Declared, "140105", code, name, officer, errors));

        Assert.Equal(badField.Length > 0, errors.Any);
        if (badField.Length > 0)
        {
            Assert.True(errors.Has(badField));
        }
    }

    [Theory]
    [InlineData(null, "departedOn")]
    [InlineData("2026-12-06", "departedOn")]
    [InlineData("2026-05-31", "departedOn")]
    [InlineData("2026-06-01", "")]
    [InlineData("2026-12-05", "")]
    public void CheckDeparture_NotInTheFutureNotBeforeArrival(string? departed, string badField)
    {
        var errors = new FieldErrors();

        RegistrationRules.CheckDeparture(departed is null ? null : DateOnly.Parse(departed, System.Globalization.CultureInfo.InvariantCulture),
            Today, new DateOnly(2026, 6, 1), "返乡", errors);

        Assert.Equal(badField.Length > 0, errors.Any);
        if (badField.Length > 0)
        {
            Assert.True(errors.Has(badField));
        }
    }

    [Fact]
    public void CheckDeparture_ReasonTooLong()
    {
        var errors = new FieldErrors();

        RegistrationRules.CheckDeparture(Today, Today, Today, new string('长', RegistrationRules.MaxReason + 1), errors);

        Assert.True(errors.Has("reason"));
    }

    [Fact]
    public void CheckAmend_ChangeOfIdentityField_IsACorrection()
    {
        var current = new RecordInput { Name = "王小明", IdNumber = "130102198001020011", ResidenceDivision = "140105" };
        var changes = new RecordInput { Name = "王晓明", Workplace = "甲公司" };

        var asChange = new FieldErrors();
        RegistrationRules.CheckAmend(VersionKind.Change, RegistrationStatus.Declared, current, changes, "信息变动", asChange);
        var asCorrection = new FieldErrors();
        RegistrationRules.CheckAmend(VersionKind.Correction, RegistrationStatus.Declared, current, changes, "录入错误", asCorrection);
        var sameName = new FieldErrors();
        RegistrationRules.CheckAmend(VersionKind.Change, RegistrationStatus.Declared, current, new RecordInput { Name = " 王小明 " }, "x", sameName);

        Assert.True(asChange.Has("changes.name"));
        Assert.False(asCorrection.Any);
        Assert.False(sameName.Any);
    }

    [Theory]
    [InlineData("change", "declared", true)]
    [InlineData("correction", "declared", false)]
    [InlineData("correction", "confirmed", true)]
    public void CheckAmend_ResidenceDivision_MovesOnlyByCorrectionBeforeConfirmation(string kind, string status, bool refused)
    {
        var errors = new FieldErrors();

        RegistrationRules.CheckAmend(kind, status, new RecordInput { ResidenceDivision = "140105" }, new RecordInput { ResidenceDivision = "140106" }, "搬家", errors);

        Assert.Equal(refused, errors.Has("changes.residenceDivision"));
    }

    [Fact]
    public void CheckAmend_WithoutReason_IsRefused()
    {
        var errors = new FieldErrors();

        RegistrationRules.CheckAmend(VersionKind.Change, RegistrationStatus.Declared, new RecordInput(), new RecordInput { Workplace = "乙" }, null, errors);
        Assert.True(errors.Has("reason"));
    }

    [Theory]
    [InlineData(null, null, 1, 20, "")]
    [InlineData("1401", "confirmed", 2, 100, "")]
    [InlineData("1", null, 1, 20, "division")]
    [InlineData("14010A", null, 1, 20, "division")]
    [InlineData(null, "open", 1, 20, "status")]
    [InlineData(null, null, 0, 20, "page")]
    [InlineData(null, null, 1, 101, "pageSize")]
    public void CheckListQuery_Filters(string? division, string? status, int page, int size, string badField)
    {
        var errors = new FieldErrors();

        RegistrationRules.CheckListQuery(division, status, page, size, 100, errors);

        Assert.Equal(badField.Length > 0, errors.Any);
        if (badField.Length > 0)
        {
            Assert.True(errors.Has(badField));
        }
    }

    [Fact]
    public void Skip_HugePage_IsPastTheEndNotNegative()
    {
        Assert.Equal(0, RegistrationRules.Skip(1, 20));
        Assert.Equal(20, RegistrationRules.Skip(2, 20));
        Assert.Equal(int.MaxValue, RegistrationRules.Skip(int.MaxValue, 100));
    }

    [Fact]
    public void GivenFields_NamesOnlyWhatTheCommandCarries()
    {
        var fields = RegistrationRules.GivenFields(new RecordInput { Workplace = "甲", Children = [] }, "changes.");

        Assert.Equal(["changes.workplace", "changes.children"], fields);
    }

    [Fact]
    public void Validator_CompleteRecord_IsStoredEncryptedHashedAndMasked_WithoutADatabase()
    {
        var validator = new RecordValidator(Protector, new FixedClock());
        var id = TestData.NewIdNumber();
        var errors = new FieldErrors();

        var record = validator.Validate(Input(id), "", errors, null);

        Assert.False(errors.Any, string.Join("; ", errors.ToDictionary().Select(e => e.Key + ": " + string.Join(",", e.Value))));
        Assert.NotNull(record);
        Assert.Equal(Protector.LookupHash(id), record.IdNumberHmac);
        Assert.DoesNotContain(id, record.IdNumberCipher, StringComparison.Ordinal);
        Assert.Contains("**********", record.IdNumberMasked, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_ArrivalInTheFuture_NamesTheField()
    {
        var validator = new RecordValidator(Protector, new FixedClock());
        var errors = new FieldErrors();

        Assert.Null(validator.Validate(Input(TestData.NewIdNumber(), arrivedOn: Today.AddDays(1)), "", errors, null));

        Assert.True(errors.Has("arrivedOn"));
    }

    [Fact]
    public void Projection_BuildsOnlyTheViewsFields_AndNeverDecryptsAHiddenNumber()
    {
        var id = TestData.NewIdNumber();
        var record = new RecordValidator(Protector, new FixedClock()).Validate(Input(id), "", new FieldErrors(), null)!;
        var health = new RegistrationView(new HashSet<string>(["name", "idNumber", "maritalStatus", "children"], StringComparer.Ordinal));

        var dto = new RegistrationProjection(health, Protector, official: true, Today).Record(record);

        Assert.Equal("王小明", dto.Name);
        Assert.Equal("married", dto.MaritalStatus);
        Assert.NotNull(dto.Children);
        Assert.Null(dto.Employment);
        Assert.Null(dto.Workplace);
        Assert.Null(dto.SocialInsurance);
        Assert.Null(dto.ArrivedOn);
        Assert.Equal(record.IdNumberMasked, dto.IdNumber);
        Assert.Equal(id, new RegistrationProjection(health with { FullIdNumber = true }, Protector, true, Today).Record(record).IdNumber);
        Assert.Equal(health.Fields.Order(StringComparer.Ordinal), health.Disclosed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Projection_NonOfficial_DoesNotSeeWhoEnteredAVersion()
    {
        var record = new RecordValidator(Protector, new FixedClock()).Validate(Input(TestData.NewIdNumber()), "", new FieldErrors(), null)!;
        var version = new RegistrationVersion
        {
            Kind = VersionKind.Declaration,
            Status = RegistrationStatus.Declared,
            RecordedBy = "officer:li",
            DeclarantChannel = "self",
            DeclarantName = "王小明",
            ResidenceDivisionCode = "140105",
            Record = record,
        };

        Assert.Null(new RegistrationProjection(RegistrationView.Everything, Protector, official: false, Today).Version(version).RecordedBy);
        Assert.Equal("officer:li", new RegistrationProjection(RegistrationView.Everything, Protector, official: true, Today).Version(version).RecordedBy);
    }

    private static DeclareRequest Input(string id, DateOnly? arrivedOn = null) => new()
    {
        Name = "王小明",
        IdNumber = id,
        EthnicGroup = "01",
        HukouDivision = "130102",
        HukouAddress = "河北省石家庄市长安区建设北大街12号",
        ResidenceDivision = "140105",
        ResidenceAddress = "太原市小店区亲贤北街1号",
        Workplace = "太原市某公司",
        Education = "21",
        Employment = "employed",
        SocialInsurance = ["pension"],
        MaritalStatus = "married",
        MarriageBirthCertificate = true,
        ArrivedOn = arrivedOn ?? new DateOnly(2026, 6, 1),
        IntendedDays = 365,
        Purpose = "work",
        Lodging = "rental",
        Children = [new ChildInput("王小花", "female", new DateOnly(2018, 3, 1), null)],
    };

    private sealed class FixedClock : Sojourn.Application.Time.ILegalClock
    {
        public DateTime UtcNow => new(2026, 12, 5, 2, 0, 0, DateTimeKind.Utc);

        public DateOnly Today => RegistrationRulesTests.Today;
    }
}
