using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sojourn.Domain;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>Steps of the application flow shared by the part-A permit tests (apply → approve → endorse → sweep).</summary>
public static class ApplyFlow
{
    public const string Base = "/api/v1/permits";

    /// <summary>Registered long enough everywhere (before 2025-08-01 + 6 months and 180 days).</summary>
    public static readonly DateOnly RegisteredLongAgo = new(2025, 8, 1);

    /// <summary>A Monday: 15 days later (2026-03-17) is a Tuesday; 20 days later is Sunday 2026-03-22.</summary>
    public static readonly DateOnly ApplyDay = new(2026, 3, 2);

    /// <summary>Facts meeting every policy's employment/residence condition.</summary>
    public static readonly JsonObject GoodFacts = new()
    {
        ["socialInsuranceMonths"] = 6,
        ["laborContractMonths"] = 12,
        ["rentalContract"] = true,
    };

    /// <summary>
    /// A signed-in client of the place. Tokens live an hour from "now" and the tests move the clock over
    /// years, so the token is issued with the clock far ahead (only expiry is checked); callers set the day next.
    /// </summary>
    public static Task<HttpClient> StaffAsync(this SojournAppFactory factory, string role, PermitPlace place, string? idNumber = null)
    {
        factory.Clock.SetToday(new DateOnly(2040, 1, 1));
        return role == "migrant"
            ? factory.ClientAsAsync(role, "", "", idNumber)
            : factory.ClientAsAsync(role, place.Division, place.StationCode);
    }

    public static PermitTerms Terms(PermitPlace place, DateOnly on) =>
        PermitLifecycle.Default.Terms(place.Division, on) ?? throw new InvalidOperationException("no terms for " + place);

    /// <summary>Every material the policy asks for, optionally without one.</summary>
    public static JsonArray Materials(PermitPlace place, DateOnly on, string? without = null) =>
        [.. Terms(place, on).Materials.Select(m => m.Value).Where(m => m != without).Select(m => (JsonNode)m)];

    public static JsonObject Application(Guid registrationId, PermitPlace place, DateOnly on, bool remote = false, JsonObject? facts = null) => new()
    {
        ["registrationId"] = registrationId,
        ["materials"] = Materials(place, on),
        ["facts"] = (facts ?? GoodFacts).DeepClone(),
        ["phone"] = "13800138000",
        ["remoteArea"] = remote,
    };

    /// <summary>A registered person (registered on <paramref name="registeredOn"/>) applies on <paramref name="applyOn"/>; returns the permit.</summary>
    public static async Task<JsonObject> AppliedAsync(
        this SojournAppFactory factory, HttpClient officer, PermitPlace place, DateOnly? registeredOn = null, DateOnly? applyOn = null, bool remote = false)
    {
        var (registrationId, _) = await factory.RegisteredAsync(officer, place, registeredOn ?? RegisteredLongAgo);
        var day = applyOn ?? ApplyDay;
        factory.Clock.SetToday(day);
        var response = await officer.PostAsJsonAsync(Base, Application(registrationId, place, day, remote));
        await PermitScenario.Ensure(response, HttpStatusCode.Created);
        return await Json(response);
    }

    /// <summary>Applied on <see cref="ApplyDay"/> and issued the same day.</summary>
    public static async Task<JsonObject> IssuedAsync(this SojournAppFactory factory, HttpClient officer, PermitPlace place)
    {
        var applied = await factory.AppliedAsync(officer, place);
        var response = await officer.PostAsJsonAsync($"{Base}/{applied["id"]}/approve", new { version = (int)applied["version"]! });
        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        return await Json(response);
    }

    public static async Task<JsonObject> Json(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static DateOnly? Day(JsonNode? node) =>
        node is null ? null : DateOnly.ParseExact((string)node!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The engine's own answer for the person's case, built here independently of the web code.</summary>
    public static PermitResult EngineAnswer(string idNumber, PermitPlace place, DateOnly registeredOn, DateOnly asOf)
    {
        var json = new JsonObject
        {
            ["asOf"] = Iso(asOf),
            ["person"] = new JsonObject { ["idNumber"] = idNumber, ["category"] = "mainland", ["hukouDivision"] = idNumber[..6] },
            ["stay"] = new JsonObject
            {
                ["residenceDivision"] = place.Division,
                ["arrivedOn"] = Iso(registeredOn.AddDays(-2)),
                ["intendedDays"] = 365,
                ["purpose"] = "work",
                ["lodging"] = "rental",
            },
            ["facts"] = new JsonObject
            {
                ["registeredOn"] = Iso(registeredOn),
                ["socialInsuranceMonths"] = 6,
                ["laborContractMonths"] = 12,
                ["rentalContract"] = true,
            },
        };
        var (result, error) = new PolicyService(Evaluator.Default, TimeProvider.System).EvaluateOne(JsonSerializer.SerializeToElement(json));
        Assert.Null(error);
        return result!.Permit!;
    }
}

/// <summary>The issuing organ's printed name derived from the division table.</summary>
public sealed class ApplyAuthorityNameTests
{
    [Theory]
    [InlineData("140105", "太原市公安局小店分局")]
    [InlineData("370202", "青岛市公安局市南分局")]
    [InlineData("331002", "台州市公安局椒江分局")]
    [InlineData("140121", "清徐县公安局")]
    public void AuthorityName_Division_CityBureauBranchOrCountyBureau(string division, string expected) =>
        Assert.Equal(expected, Sojourn.Web.Permits.PermitEligibility.AuthorityName(division));
}

/// <summary>Eligibility and application (受理) under three policies, on SQLite and PostgreSQL.</summary>
public abstract class ApplyPermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Apply_RegisteredTwoMonthsAgo_Returns422WithEnginesEarliestAndNothingSaved(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.StaffAsync("officer", place);
        var registeredOn = ApplyFlow.ApplyDay.AddMonths(-2);
        var (registrationId, idNumber) = await Factory.RegisteredAsync(officer, place, registeredOn);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);

        var response = await officer.PostAsJsonAsync(ApplyFlow.Base, ApplyFlow.Application(registrationId, place, ApplyFlow.ApplyDay));

        await PermitScenario.Ensure(response, HttpStatusCode.UnprocessableEntity);
        var body = await ApplyFlow.Json(response);
        var engine = ApplyFlow.EngineAnswer(idNumber, place, registeredOn, ApplyFlow.ApplyDay);
        Assert.Equal(40003, (int)body["errorCode"]!);
        Assert.Equal("residence-duration", (string?)body["unmet"]![0]!["id"]);
        Assert.False(string.IsNullOrEmpty((string?)body["unmet"]![0]!["label"]));
        Assert.Equal(engine.Earliest, ApplyFlow.Day(body["earliest"]));
        Assert.Equal(engine.Basis, (string?)body["basis"]);
        Assert.StartsWith(place.PolicyId + "#", (string?)body["basis"], StringComparison.Ordinal);
        Assert.Contains("居住", (string?)body["detail"], StringComparison.Ordinal);
        Assert.NotNull(body["engine"]!["policyHashes"]![place.PolicyId]);
        Assert.DoesNotContain(idNumber, body.ToJsonString(), StringComparison.Ordinal);

        var list = await ApplyFlow.Json(await officer.GetAsync(ApplyFlow.Base));
        Assert.DoesNotContain(list["items"]!.AsArray(), p => (string?)p!["registrationId"] == registrationId.ToString());
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Eligibility_RegisteredLongAgo_EligibleWithBasisAndEngineStamp(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.StaffAsync("officer", place);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);

        var response = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/eligibility", new { registrationId, facts = ApplyFlow.GoodFacts });

        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        var body = await ApplyFlow.Json(response);
        Assert.True((bool)body["eligible"]!);
        Assert.Empty(body["unmet"]!.AsArray());
        Assert.Equal(place.PolicyId, (string?)body["policies"]![0]);
        Assert.Equal("1.0.0", (string?)body["engine"]!["version"]);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Apply_Eligible_AppliedWithIssueDueFifteenDaysAndAppliedEvent(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.StaffAsync("officer", place);

        var permit = await Factory.AppliedAsync(officer, place);

        Assert.Equal("applied", (string?)permit["status"]);
        Assert.Equal(place.PolicyId, (string?)permit["policyId"]);
        Assert.Equal(new DateOnly(2026, 3, 17), ApplyFlow.Day(permit["issueDue"]));
        Assert.Equal(place.StationCode, (string?)permit["stationCode"]);
        Assert.Equal(Sojourn.Web.Permits.PermitEligibility.AuthorityName(place.Division), (string?)permit["authority"]);
        Assert.Contains("**********", (string?)permit["idNumber"], StringComparison.Ordinal);

        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{permit["id"]}/history"))!;
        var applied = Assert.Single(history);
        Assert.Equal("applied", (string?)applied!["kind"]);
        Assert.Contains(ApplyFlow.Terms(place, ApplyFlow.ApplyDay).IssueWithin.Basis, (string?)applied["basis"], StringComparison.Ordinal);
        Assert.NotNull(applied["engine"]!["policyHashes"]![place.PolicyId]);
        Assert.True((bool)applied["details"]!["eligibility"]!["eligible"]!);
        Assert.Equal("2026-03-17", (string?)applied["details"]!["issueDue"]!["due"]);
    }

    [SkippableFact]
    public async Task Apply_RemoteAreaUnderShanxi_IssueDueTwentyDaysRolledToMonday()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);

        var permit = await Factory.AppliedAsync(officer, place, remote: true);

        // 20 days from Monday 2026-03-02 end on Sunday 2026-03-22: the next working day.
        Assert.Equal(new DateOnly(2026, 3, 23), ApplyFlow.Day(permit["issueDue"]));
        Assert.Equal(20, ApplyFlow.Terms(place, ApplyFlow.ApplyDay).IssueWithinRemote!.Value.Amount);
    }

    [SkippableFact]
    public async Task Apply_MaterialMissing_Returns400NamingIt()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);
        var request = ApplyFlow.Application(registrationId, place, ApplyFlow.ApplyDay);
        request["materials"] = ApplyFlow.Materials(place, ApplyFlow.ApplyDay, without: "photo");

        var response = await officer.PostAsJsonAsync(ApplyFlow.Base, request);

        await PermitScenario.Ensure(response, HttpStatusCode.BadRequest);
        var label = ApplyFlow.Terms(place, ApplyFlow.ApplyDay).Materials.Single(m => m.Value == "photo").Note!;
        Assert.Contains(label, (await ApplyFlow.Json(response))["errors"]!["materials"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_ProxyForAdultWithoutGround_Returns400ProxyForChild_Accepted()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (adultRegistration, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        var first17 = "130102" + "20150301" + "124";
        var child = first17 + CitizenId.ComputeCheckCharacter(first17);
        var (childRegistration, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo, child);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);

        var adult = ApplyFlow.Application(adultRegistration, place, ApplyFlow.ApplyDay);
        adult["applicant"] = new JsonObject { ["relation"] = "guardian", ["name"] = "王大明" };
        var refused = await officer.PostAsJsonAsync(ApplyFlow.Base, adult);
        var minor = ApplyFlow.Application(childRegistration, place, ApplyFlow.ApplyDay);
        minor["applicant"] = new JsonObject { ["relation"] = "guardian", ["name"] = "王大明" };
        var accepted = await officer.PostAsJsonAsync(ApplyFlow.Base, minor);

        // An adult's proxy must state a ground of 居住证暂行条例 第九条第三款 (minor implied only under 16).
        await PermitScenario.Ensure(refused, HttpStatusCode.BadRequest);
        Assert.Contains("cn-2016#9", (await ApplyFlow.Json(refused))["errors"]!["applicant.ground"]![0]!.ToString(), StringComparison.Ordinal);
        await PermitScenario.Ensure(accepted, HttpStatusCode.Created);
        var permit = await ApplyFlow.Json(accepted);
        Assert.Equal("guardian", (string?)permit["applicantRelation"]);
        var applied = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "applied");
        Assert.Equal("minor", (string?)applied["details"]!["applicant"]!["ground"]);
    }

    [SkippableFact]
    public async Task Apply_ProxyForElderlyWithLimitedMobility_AcceptedWithItsGround()
    {
        // 居住证暂行条例 第九条第三款: 行动不便的老年人、残疾人等，可以由其监护人、近亲属代为申领 — no age limit applies.
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (registration, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);
        var request = ApplyFlow.Application(registration, place, ApplyFlow.ApplyDay);
        request["applicant"] = new JsonObject { ["relation"] = "close-relative", ["name"] = "王小梅", ["ground"] = "elderly-limited-mobility" };

        var response = await officer.PostAsJsonAsync(ApplyFlow.Base, request);

        await PermitScenario.Ensure(response, HttpStatusCode.Created);
        var permit = await ApplyFlow.Json(response);
        Assert.Equal("close-relative", (string?)permit["applicantRelation"]);
        var applicant = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "applied")["details"]!["applicant"]!;
        Assert.Equal("elderly-limited-mobility", (string?)applicant["ground"]);
        Assert.Equal("cn-2016#9", (string?)applicant["groundBasis"]);
    }

    [SkippableFact]
    public async Task Apply_ProxyGroundMinorForAdultOrUnknownGround_Returns400()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (registration, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);
        var minor = ApplyFlow.Application(registration, place, ApplyFlow.ApplyDay);
        minor["applicant"] = new JsonObject { ["relation"] = "guardian", ["name"] = "王大明", ["ground"] = "minor" };
        var unknown = ApplyFlow.Application(registration, place, ApplyFlow.ApplyDay);
        unknown["applicant"] = new JsonObject { ["relation"] = "guardian", ["name"] = "王大明", ["ground"] = "busy" };

        var asMinor = await officer.PostAsJsonAsync(ApplyFlow.Base, minor);
        var asUnknown = await officer.PostAsJsonAsync(ApplyFlow.Base, unknown);

        await PermitScenario.Ensure(asMinor, HttpStatusCode.BadRequest);
        Assert.NotNull((await ApplyFlow.Json(asMinor))["errors"]!["applicant.ground"]);
        await PermitScenario.Ensure(asUnknown, HttpStatusCode.BadRequest);
        Assert.NotNull((await ApplyFlow.Json(asUnknown))["errors"]!["applicant.ground"]);
    }

    [SkippableFact]
    public async Task Apply_ProxyForChildUnderShanxi2013_Returns400NoProxy()
    {
        // 山西2013 第十六條: 未滿16周歲的公民應隨其監護人登記，不領取居住證 — no permit, so no proxy application (before
        // the fix a guardian's application passed the proxy check and reached the engine).
        var place = PermitPlace.Shanxi;
        var on = new DateOnly(2015, 6, 1);
        using var officer = await Factory.CountyOfficerAsync(place);
        var first17 = "130102" + "20100301" + "128";
        var child = first17 + CitizenId.ComputeCheckCharacter(first17);
        var (registration, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, on.AddMonths(-2), child);
        Factory.Clock.SetToday(on);
        var request = ApplyFlow.Application(registration, place, on);
        request["applicant"] = new JsonObject { ["relation"] = "guardian", ["name"] = "王大明" };

        var response = await officer.PostAsJsonAsync(ApplyFlow.Base, request);

        await PermitScenario.Ensure(response, HttpStatusCode.BadRequest);
        Assert.Contains("shanxi-2013#16", (await ApplyFlow.Json(response))["errors"]!["applicant.relation"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_MigrantForSelf_AcceptedAndOthersRegistrationNotFound()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (own, idNumber) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        var (other, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        using var migrant = await Factory.StaffAsync("migrant", place, idNumber);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);

        var foreign = await migrant.PostAsJsonAsync(ApplyFlow.Base, ApplyFlow.Application(other, place, ApplyFlow.ApplyDay));
        var self = await migrant.PostAsJsonAsync(ApplyFlow.Base, ApplyFlow.Application(own, place, ApplyFlow.ApplyDay));

        await PermitScenario.Ensure(foreign, HttpStatusCode.NotFound);
        await PermitScenario.Ensure(self, HttpStatusCode.Created);
    }

    [SkippableFact]
    public async Task Apply_RegistrationNotConfirmed_Returns409()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);
        var declared = await officer.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration(residenceDivision: place.Division, arrivedOn: "2026-02-20"));
        await PermitScenario.Ensure(declared, HttpStatusCode.Created);
        var registrationId = Guid.Parse((string)(await ApplyFlow.Json(declared))["id"]!);

        var response = await officer.PostAsJsonAsync(ApplyFlow.Base, ApplyFlow.Application(registrationId, place, ApplyFlow.ApplyDay));

        await PermitScenario.Ensure(response, HttpStatusCode.Conflict);
        Assert.Equal(40007, (int)(await ApplyFlow.Json(response))["errorCode"]!);
    }
}

public sealed class SqliteApplyPermitTests(SqliteAppFixture fixture)
    : ApplyPermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresApplyPermitTests(PostgresAppFixture fixture)
    : ApplyPermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
