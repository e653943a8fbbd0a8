using System.Net;
using System.Text.Json.Nodes;
using Sojourn.Data.Access;
using Sojourn.Rules.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// 变更: address or workplace within the policy's period (late is accepted and recorded as late), and a move
/// into another station's area (山西2013 第十九条: the old registration must be ended first). SQLite and PostgreSQL.
/// </summary>
public abstract class ChangePermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly DateOnly IssueDay = new(2026, 3, 2);
    private static readonly DateOnly ChangedOn = new(2026, 5, 11);

    /// <summary>Another station of 小店区, for moves.</summary>
    private const string OtherStation = "140105000002";

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Change_WithinPeriod_RecordedNotLate(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var terms = ChangeStepsFlow.Terms(place, ChangedOn);
        Factory.Clock.SetToday(ChangedOn.AddDays(1));

        var changed = await officer.StepAsync(officer, permit["id"]!, "change", new JsonObject
        {
            ["changedOn"] = ApplyFlow.Iso(ChangedOn),
            ["residenceAddress"] = "新住址路1号",
            ["workplace"] = "新单位有限公司",
        }).OkJsonAsync();

        Assert.Equal("新住址路1号", (string?)changed["residenceAddress"]);
        Assert.Equal("新单位有限公司", (string?)changed["workplace"]);
        Assert.Equal("valid", (string?)changed["status"]);
        var e = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "changed");
        Assert.False((bool)e["details"]!["late"]!);
        Assert.Equal("person.report-change", (string?)e["details"]!["duty"]);
        Assert.NotEqual("新住址路1号", (string?)e["details"]!["before"]!["residenceAddress"]);
        Assert.NotNull(e["engine"]!["policyHashes"]![place.PolicyId]);
        if (terms.ChangeWithin is { } within)
        {
            Assert.Equal(ApplyFlow.Iso(PermitLifecycle.Default.Due(within, place.Division, ChangedOn)), (string?)e["details"]!["due"]);
            Assert.Equal(within.Basis, (string?)e["basis"]);
        }
        else
        {
            Assert.Null(e["details"]!["due"]);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Change_AfterPeriod_AcceptedAndRecordedLate(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, idNumber) = await Factory.IssuedAsync(officer, place, IssueDay);
        using var migrant = await Factory.LongClientAsync(Roles.Migrant, "", "", idNumber);
        var terms = ChangeStepsFlow.Terms(place, ChangedOn);
        var reportedOn = terms.ChangeWithin is { } w ? PermitLifecycle.Default.Due(w, place.Division, ChangedOn).AddDays(1) : ChangedOn.AddDays(60);
        Factory.Clock.SetToday(reportedOn);

        var changed = await migrant.StepAsync(migrant, permit["id"]!, "change", new JsonObject
        {
            ["changedOn"] = ApplyFlow.Iso(ChangedOn),
            ["workplace"] = "迟报单位",
        }).OkJsonAsync();

        Assert.Equal("迟报单位", (string?)changed["workplace"]);
        var e = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "changed");
        Assert.Equal(terms.ChangeWithin is not null, (bool)e["details"]!["late"]!);
        Assert.Equal(ApplyFlow.Iso(ChangedOn), (string?)e["effectiveOn"]);
        Assert.StartsWith("migrant:", (string?)e["actor"], StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Change_MoveToAnotherStation_PermitFollowsOrOldRegistrationMustEnd(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        var otherStation = place.Division + "000002";
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, oldRegistration, idNumber) = await Factory.IssuedAsync(officer, place, IssueDay);
        var (newRegistration, _) = await Factory.RegisteredAsync(officer, officer, place.Division, otherStation, "新派出所", ChangedOn, idNumber);
        var terms = ChangeStepsFlow.Terms(place, ChangedOn);
        var body = new JsonObject { ["changedOn"] = ApplyFlow.Iso(ChangedOn), ["registrationId"] = newRegistration.ToString() };

        var response = await officer.StepAsync(officer, permit["id"]!, "change", body);

        if (terms.CrossStationClosesOldRegistration.Value)
        {
            await PermitScenario.Ensure(response, HttpStatusCode.Conflict);
            return;
        }

        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        var moved = await ApplyFlow.Json(response);
        Assert.Equal(otherStation, (string?)moved["stationCode"]);
        Assert.Equal(newRegistration.ToString(), (string?)moved["registrationId"]);
        var e = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "changed");
        Assert.True((bool)e["details"]!["crossStation"]!);
        Assert.Equal(oldRegistration.ToString(), (string?)e["details"]!["before"]!["registrationId"]);
        Assert.Contains(terms.CrossStationClosesOldRegistration.Basis, (string?)e["basis"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Change_CrossStationUnderShanxi2013_OldRegistrationOpen409ThenEnded200()
    {
        // 2016: 山西2013 is in force at 140105, and its 第十九条 closes the old registration first.
        var place = PermitPlace.Shanxi;
        var issued = new DateOnly(2016, 3, 1);
        var changedOn = new DateOnly(2016, 6, 6);
        using var officer = await Factory.LongClientAsync(Roles.Officer, "1401", place.StationCode + "," + OtherStation);
        var (oldRegistration, idNumber) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, issued.AddMonths(-1));
        var permitId = await Factory.InsertIssuedAsync(oldRegistration, issued, "shanxi-2013");
        var (newRegistration, _) = await Factory.RegisteredAsync(officer, officer, place.Division, OtherStation, "新派出所", changedOn, idNumber);
        var terms = PermitLifecycle.Default.Terms(place.Division, changedOn)!;
        Assert.Equal("shanxi-2013", terms.PolicyId);
        Assert.True(terms.CrossStationClosesOldRegistration.Value);
        var body = new JsonObject { ["changedOn"] = ApplyFlow.Iso(changedOn), ["registrationId"] = newRegistration.ToString() };

        var refused = await officer.StepAsync(officer, permitId, "change", (JsonObject)body.DeepClone()).ProblemAsync(HttpStatusCode.Conflict, 40071);
        Assert.Contains(terms.CrossStationClosesOldRegistration.Basis, (string?)refused["detail"], StringComparison.Ordinal);

        var registration = await ApplyFlow.Json(await officer.GetAsync($"/api/v1/registrations/{oldRegistration}"));
        var ended = await officer.PostAsync($"/api/v1/registrations/{oldRegistration}/departure",
            System.Net.Http.Json.JsonContent.Create(new { version = (int)registration["version"]!, departedOn = ApplyFlow.Iso(changedOn) }));
        await PermitScenario.Ensure(ended, HttpStatusCode.OK);
        var moved = await officer.StepAsync(officer, permitId, "change", body).OkJsonAsync();

        Assert.Equal(OtherStation, (string?)moved["stationCode"]);
        Assert.Equal(newRegistration.ToString(), (string?)moved["registrationId"]);
        Assert.False((bool)ChangeStepsFlow.Last(await officer.HistoryAsync(permitId), "changed")["details"]!["late"]!);
    }

    [SkippableFact]
    public async Task Change_AnotherPersonsRegistration_Returns400()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var (someoneElse, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, ChangedOn);

        await officer.StepAsync(officer, permit["id"]!, "change", new JsonObject { ["changedOn"] = ApplyFlow.Iso(ChangedOn), ["registrationId"] = someoneElse.ToString() })
            .ProblemAsync(HttpStatusCode.BadRequest, 10001);
    }

    [SkippableFact]
    public async Task Change_Nothing_Returns400()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);

        await officer.StepAsync(officer, permit["id"]!, "change", new JsonObject { ["changedOn"] = ApplyFlow.Iso(IssueDay) })
            .ProblemAsync(HttpStatusCode.BadRequest, 10001);
    }
}

public sealed class SqliteChangePermitTests(SqliteAppFixture fixture)
    : ChangePermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresChangePermitTests(PostgresAppFixture fixture)
    : ChangePermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
