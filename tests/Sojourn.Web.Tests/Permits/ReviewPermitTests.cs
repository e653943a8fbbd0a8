using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>Review of an application: issue (number, validity, first endorsement window, fee) or refusal.</summary>
public abstract partial class ReviewPermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Approve_Applied_IssuesNumberValidityAndFirstEndorsementWindow(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.StaffAsync("officer", place);
        var applied = await Factory.AppliedAsync(officer, place);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay.AddDays(3));
        var terms = ApplyFlow.Terms(place, ApplyFlow.ApplyDay);
        var issuedOn = ApplyFlow.ApplyDay.AddDays(3);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{ApplyFlow.Base}/{applied["id"]}/approve");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{(int)applied["version"]!}\""));
        var response = await officer.SendAsync(request);

        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        var permit = await ApplyFlow.Json(response);
        Assert.Equal("valid", (string?)permit["status"]);
        Assert.Matches(PermitNumber(), (string?)permit["permitNumber"]);
        Assert.StartsWith("JZ" + place.Division + "-2026-", (string?)permit["permitNumber"], StringComparison.Ordinal);
        Assert.Equal(issuedOn, ApplyFlow.Day(permit["issuedOn"]));
        // 山西2017 第十七条: five years; 山东 306号令 and 台州 set none (nor does the national regulation).
        Assert.Equal(place == PermitPlace.Shanxi ? new DateOnly(2031, 3, 5) : null, ApplyFlow.Day(permit["validUntil"]));
        var (opens, due) = Sojourn.Rules.Permits.PermitLifecycle.Default.Endorsement(terms, issuedOn, 1);
        Assert.Equal(opens, ApplyFlow.Day(permit["endorsementOpens"]));
        Assert.Equal(due, ApplyFlow.Day(permit["endorsementDue"]));
        Assert.Equal(new DateOnly(2027, 2, 5), opens); // a month before the first anniversary
        Assert.Equal(0, (int)permit["endorsementsDone"]!);
        var fee = terms.Fees["first-issue"];
        Assert.Equal(fee.Value, (int?)permit["feeYuan"]);
        Assert.Equal(fee.Basis, (string?)permit["feeBasis"]);
        Assert.Equal($"\"{(int)permit["version"]!}\"", response.Headers.ETag?.ToString());

        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{permit["id"]}/history"))!;
        Assert.Equal(["applied", "issued"], history.Select(e => (string?)e!["kind"]));
        var issued = history[1]!;
        Assert.True((bool)issued["details"]!["deadlineMet"]!);
        Assert.Contains(terms.IssueWithin.Basis, (string?)issued["basis"], StringComparison.Ordinal);
        Assert.All(history, e => Assert.NotNull(e!["engine"]!["policyHashes"]![place.PolicyId]));
    }

    [SkippableFact]
    public async Task Approve_AfterIssueDue_RecordsDeadlineMissed()
    {
        var place = PermitPlace.Shandong;
        using var officer = await Factory.StaffAsync("officer", place);
        var applied = await Factory.AppliedAsync(officer, place);
        Factory.Clock.SetToday(new DateOnly(2026, 3, 18));

        var response = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/approve", new { version = 1 });

        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{applied["id"]}/history"))!;
        Assert.False((bool)history[1]!["details"]!["deadlineMet"]!);
    }

    [SkippableFact]
    public async Task Approve_WithoutVersion_Returns428AndTwice_Returns409()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var applied = await Factory.AppliedAsync(officer, place);

        var unversioned = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/approve", new { });
        var first = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/approve", new { version = 1 });
        var again = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/approve", new { version = 2 });

        await PermitScenario.Ensure(unversioned, HttpStatusCode.PreconditionRequired);
        await PermitScenario.Ensure(first, HttpStatusCode.OK);
        await PermitScenario.Ensure(again, HttpStatusCode.Conflict);
        Assert.Equal(40004, (int)(await ApplyFlow.Json(again))["errorCode"]!);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Refuse_WithReasonAndBasis_RefusedAndRecorded(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.StaffAsync("officer", place);
        var applied = await Factory.AppliedAsync(officer, place);
        var basis = ApplyFlow.Terms(place, ApplyFlow.ApplyDay).IssueWithin.Basis;

        var response = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/refuse",
            new { version = 1, reason = "所交劳动合同经核实不真实", basis = new[] { basis } });

        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        var permit = await ApplyFlow.Json(response);
        Assert.Equal("refused", (string?)permit["status"]);
        Assert.Equal("所交劳动合同经核实不真实", (string?)permit["refusalReason"]);
        Assert.Equal(basis, (string?)permit["refusalBasis"]);
        Assert.Null(permit["permitNumber"]);
        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{permit["id"]}/history"))!;
        var refused = history[^1]!;
        Assert.Equal("refused", (string?)refused["kind"]);
        Assert.Equal("所交劳动合同经核实不真实", (string?)refused["reason"]);
        Assert.Equal(basis, (string?)refused["basis"]);
        Assert.NotNull(refused["engine"]);
    }

    [SkippableFact]
    public async Task Refuse_WithoutBasis_Returns400AndPermitStaysApplied()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var applied = await Factory.AppliedAsync(officer, place);

        var noBasis = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/refuse", new { version = 1, reason = "材料不全" });
        var badBasis = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/refuse", new { version = 1, reason = "材料不全", basis = new[] { "第九条" } });

        await PermitScenario.Ensure(noBasis, HttpStatusCode.BadRequest);
        await PermitScenario.Ensure(badBasis, HttpStatusCode.BadRequest);
        var current = await ApplyFlow.Json(await officer.GetAsync($"{ApplyFlow.Base}/{applied["id"]}"));
        Assert.Equal("applied", (string?)current["status"]);
    }

    [SkippableFact]
    public async Task Approve_ByCollector_Returns403()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        using var collector = await Factory.StaffAsync("collector", place);
        var applied = await Factory.AppliedAsync(officer, place);

        var response = await collector.PostAsJsonAsync($"{ApplyFlow.Base}/{applied["id"]}/approve", new { version = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [GeneratedRegex(@"^JZ\d{6}-\d{4}-\d{6}$")]
    private static partial Regex PermitNumber();
}

public sealed class SqliteReviewPermitTests(SqliteAppFixture fixture)
    : ReviewPermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresReviewPermitTests(PostgresAppFixture fixture)
    : ReviewPermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
