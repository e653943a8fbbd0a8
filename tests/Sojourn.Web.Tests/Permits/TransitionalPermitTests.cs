using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// Permits and 暂住证 issued under an earlier policy, recorded where the policy in force keeps them valid
/// (山西2017 第三十九条), valid until their own expiry and then expired by the sweep. SQLite and PostgreSQL.
/// </summary>
public abstract class TransitionalPermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly DateOnly RecordedOn = new(2017, 6, 5);
    private static readonly DateOnly IssuedOn = new(2015, 5, 4);
    private static readonly DateOnly ValidUntil = new(2020, 5, 4);

    private static JsonObject Request(Guid registrationId, string policyId = "shanxi-2013", string kind = "permit", string? number = null) => new()
    {
        ["registrationId"] = registrationId.ToString(),
        ["policyId"] = policyId,
        ["documentKind"] = kind,
        ["permitNumber"] = number ?? "晋" + Guid.NewGuid().ToString("N")[..10],
        ["issuedOn"] = ApplyFlow.Iso(IssuedOn),
        ["validUntil"] = ApplyFlow.Iso(ValidUntil),
        ["authorityName"] = "太原市公安局小店分局",
    };

    [SkippableFact]
    public async Task Transitional_Shanxi2013PermitUnder2017_RecordedValidThenExpiredBySweep()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        using var chief = await Factory.CountyOfficerAsync(place, Roles.StationChief);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, RecordedOn);
        var terms = ChangeStepsFlow.Terms(place, RecordedOn);
        Assert.True(terms.EarlierPermitsStayValid.Value);

        var recorded = await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", Request(registrationId)).OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal("transitional", (string?)recorded["kind"]);
        Assert.Equal("valid", (string?)recorded["status"]);
        Assert.Equal("shanxi-2013", (string?)recorded["policyId"]);
        Assert.Equal(ApplyFlow.Iso(ValidUntil), (string?)recorded["validUntil"]);
        Assert.True(ApplyFlow.Day(recorded["endorsementDue"]) >= RecordedOn);
        var e = ChangeStepsFlow.Last(await officer.HistoryAsync(recorded["id"]!), "recorded");
        Assert.Equal(terms.EarlierPermitsStayValid.Basis, (string?)e["basis"]);
        Assert.Equal("shanxi-2013", (string?)e["details"]!["earlierPolicy"]);
        Assert.NotNull(e["engine"]!["policyHashes"]!["shanxi-2017"]);

        // One person, one permit counts it: a new application (once eligible) is refused while it is valid.
        var later = RecordedOn.AddYears(1);
        Factory.Clock.SetToday(later);
        await officer.PostAsJsonAsync(ChangeStepsFlow.Base, ApplyFlow.Application(registrationId, place, later))
            .ProblemAsync(HttpStatusCode.Conflict, 40002);

        Factory.Clock.SetToday(ValidUntil.AddDays(1));
        var swept = await chief.PostAsync($"{ChangeStepsFlow.Base}/sweep", null).OkJsonAsync();
        Assert.True((int)swept["expired"]! >= 1);
        Assert.Equal("expired", (string?)(await officer.GetAsync(recorded["id"]!))["status"]);
    }

    [SkippableFact]
    public async Task Transitional_TemporaryResidencePermit_NoEndorsement()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, RecordedOn);

        var recorded = await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", Request(registrationId, kind: "temporary-residence"))
            .OkJsonAsync(HttpStatusCode.Created);

        Assert.Null(recorded["endorsementDue"]);
        Assert.Equal("valid", (string?)recorded["status"]);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Transitional_PerPolicy_RecordedOnlyWhereEarlierPermitsStayValid(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        var on = new DateOnly(2026, 6, 1);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, on);
        var terms = ChangeStepsFlow.Terms(place, on);
        var request = Request(registrationId);
        request["validUntil"] = ApplyFlow.Iso(on.AddYears(1));

        var response = await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", request);

        if (terms.EarlierPermitsStayValid.Value)
        {
            await PermitScenario.Ensure(response, HttpStatusCode.Created);
        }
        else
        {
            await PermitScenario.Ensure(response, HttpStatusCode.UnprocessableEntity);
            var body = await ApplyFlow.Json(response);
            Assert.Equal(40075, (int)body["errorCode"]!);
            Assert.Contains(terms.EarlierPermitsStayValid.Basis, (string?)body["detail"], StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task Transitional_PolicyNotEarlierOrExpired_Refused()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, RecordedOn);

        // The current policy is not an earlier one; a policy of another province was never in force here.
        await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", Request(registrationId, "shanxi-2017")).ProblemAsync(HttpStatusCode.BadRequest, 10001);
        await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", Request(registrationId, "shandong-2017")).ProblemAsync(HttpStatusCode.BadRequest, 10001);

        Factory.Clock.SetToday(ValidUntil.AddDays(1));
        await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", Request(registrationId)).ProblemAsync(HttpStatusCode.UnprocessableEntity, 40075);
    }

    [SkippableFact]
    public async Task Transitional_ValidUntilBeforeIssuedOn_SaysSoNotRequired()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, RecordedOn);
        var request = Request(registrationId);
        request["validUntil"] = ApplyFlow.Iso(IssuedOn.AddDays(-1));

        var response = await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (string?)(await ApplyFlow.Json(response))["errors"]!["validUntil"]![0];
        Assert.Contains("issuedOn", message, StringComparison.Ordinal);
        Assert.DoesNotContain("请填写", message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Transitional_Migrant_Returns403()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (registrationId, idNumber) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, RecordedOn);
        using var migrant = await Factory.LongClientAsync(Roles.Migrant, "", "", idNumber);

        var response = await migrant.PostAsJsonAsync($"{ChangeStepsFlow.Base}/transitional", Request(registrationId));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

public sealed class SqliteTransitionalPermitTests(SqliteAppFixture fixture)
    : TransitionalPermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresTransitionalPermitTests(PostgresAppFixture fixture)
    : TransitionalPermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
