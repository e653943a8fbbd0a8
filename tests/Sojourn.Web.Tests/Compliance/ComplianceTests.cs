using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sojourn.Data.Access;
using Sojourn.TestSupport;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Compliance;

/// <summary>
/// The registration deadline stored on a stay, the compliance sweep under 山西2017, 宁夏2013 and 新疆2011, orders,
/// escalation after an ignored order, correction in time, and decisions within the policy's ranges; over HTTP.
/// </summary>
public abstract class ComplianceTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private const string Registrations = "/api/v1/registrations";
    private const string Compliance = "/api/v1/compliance";

    public static TheoryData<string, string, string, string?> Places => new()
    {
        // policy, division, station, the registration duty's basis (null: the policy sets none)
        { "shanxi-2017", "140105", "140105000001", "shanxi-2017#9" },
        { "xinjiang-2011", "650102", "650102000001", "xinjiang-2011#18" },
        { "ningxia-2013", "640104", "640104000001", null },
    };

    [SkippableTheory]
    [MemberData(nameof(Places))]
    public async Task Sweep_UnderPolicy_OpensACasePerLateOrOverdueStayOnce(string policy, string division, string station, string? basis)
    {
        using var collector = await Staff(Roles.Collector, division, station);
        using var reporter = await Staff(Roles.Reporter, "", "");
        using var chief = await Staff(Roles.StationChief, division, station);
        Factory.Clock.SetToday(new DateOnly(2026, 6, 15));
        var late = await Declare(collector, division, "2026-05-20");
        var unregistered = await Declare(reporter, division, "2026-06-10");

        var stay = await Json(await collector.GetAsync($"{Registrations}/{late["id"]}"));
        var duty = stay["registrationDuty"]!;
        Assert.Equal(basis, (string?)duty["basis"] is { } b && b.Contains('#', StringComparison.Ordinal) ? b : null);
        Assert.Equal(basis is null ? "none" : "late", (string?)duty["status"]);
        Assert.Equal("1.0.0", (string?)duty["engine"]!["version"]);
        Assert.NotNull(duty["engine"]!["policyHashes"]![policy]);

        Factory.Clock.SetToday(new DateOnly(2026, 7, 20));
        var first = await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }));
        var second = await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }));

        var cases = await CasesOf(chief, (string)late["id"]!, (string)unregistered["id"]!);
        if (basis is null)
        {
            // 宁夏 第七条 sets no registration period: no duty, so nothing is overdue and no case is opened.
            Assert.Empty(cases);
            return;
        }

        Assert.Equal(2, cases.Count);
        Assert.Equal(["late", "overdue"], cases.Select(c => (string)c["dutyStatus"]!).Order());
        Assert.All(cases, c => Assert.Equal(basis, (string?)c["dutyBasis"]));
        Assert.True((int)first["opened"]! >= 2);
        Assert.Equal(0, (int)second["opened"]!);
        var overdue = await Json(await collector.GetAsync($"{Registrations}/{unregistered["id"]}"));
        Assert.Equal("overdue", (string?)overdue["registrationDuty"]!["status"]);
        var listed = await Json(await chief.GetAsync($"{Registrations}?division={division}&dutyStatus=overdue&pageSize=50"));
        Assert.Contains(listed["items"]!.AsArray(), i => (string?)i!["id"] == (string?)unregistered["id"] && (string?)i["registrationDutyStatus"] == "overdue");
        var detail = await Json(await chief.GetAsync($"{Compliance}/cases/{cases[0]["id"]}"));
        Assert.Equal("1.0.0", (string?)detail["engine"]!["version"]);
        Assert.Equal(["opened"], detail["events"]!.AsArray().Select(e => (string?)e!["kind"]));
    }

    [SkippableFact]
    public async Task IgnoredOrder_Xinjiang_EscalatesAndAFineOutsideTheRangeIsRefused()
    {
        var (chief, c) = await OverdueCaseAsync("650102", "650102000001");
        using var _ = chief;
        var id = (long)c["id"]!;

        // Under 新疆 item 26 a fine follows only an order left uncorrected: refused while the case is new.
        var early = await chief.PostAsJsonAsync($"{Compliance}/cases/{id}/decision", new { version = (int)c["version"]!, outcome = "fine", fineYuan = 100 });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(70005, (int)(await Json(early))["errorCode"]!);

        var ordered = await Json(await chief.PostAsJsonAsync($"{Compliance}/cases/{id}/order", new { version = (int)c["version"]!, correctBy = "2026-07-30" }));
        Assert.Equal("waiting", (string?)ordered["state"]);
        var order = await chief.GetAsync($"{Compliance}/cases/{id}/documents/correction-order");
        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        var orderText = PdfText.Read(await order.Content.ReadAsByteArrayAsync());
        Assert.Contains("责令改正通知书", orderText, StringComparison.Ordinal);

        Factory.Clock.SetToday(new DateOnly(2026, 8, 3));
        await chief.PostAsJsonAsync($"{Compliance}/sweep", new { });
        var escalated = await Json(await chief.GetAsync($"{Compliance}/cases/{id}"));
        Assert.Equal("to-decide", (string?)escalated["state"]);

        var tooHigh = await chief.PostAsJsonAsync($"{Compliance}/cases/{id}/decision", new { version = (int)escalated["version"]!, outcome = "fine", fineYuan = 300 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooHigh.StatusCode);
        var problem = await Json(tooHigh);
        Assert.Equal(70003, (int)problem["errorCode"]!);
        Assert.Equal(50, (int)problem["minYuan"]!);
        Assert.Equal(200, (int)problem["maxYuan"]!);
        Assert.Equal("xinjiang-2011#26", (string?)problem["basis"]);

        var decided = await Json(await chief.PostAsJsonAsync($"{Compliance}/cases/{id}/decision", new { version = (int)escalated["version"]!, outcome = "fine", fineYuan = 100 }));
        Assert.Equal("closed", (string?)decided["state"]);
        Assert.Equal(["opened", "ordered", "escalated", "decided"], decided["events"]!.AsArray().Select(e => (string?)e!["kind"]));
        var notice = await chief.GetAsync($"{Compliance}/cases/{id}/documents/penalty-decision");
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        var text = PdfText.Read(await notice.Content.ReadAsByteArrayAsync());
        Assert.Contains("行政处罚决定书", text, StringComparison.Ordinal);
        Assert.Contains("行政复议", text, StringComparison.Ordinal);
        Assert.Contains("六个月", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CorrectionInTime_Xinjiang_ClosesTheCaseWithoutAFine()
    {
        var (chief, c) = await OverdueCaseAsync("650102", "650102000001");
        using var _ = chief;
        var id = (long)c["id"]!;
        var ordered = await Json(await chief.PostAsJsonAsync($"{Compliance}/cases/{id}/order", new { version = (int)c["version"]!, correctBy = "2026-07-30" }));
        Assert.Equal("waiting", (string?)ordered["state"]);

        // The person appears at the station within the limit: the station completes the registration.
        using var officer = await Staff(Roles.Officer, "650102", "650102000001");
        Factory.Clock.SetToday(new DateOnly(2026, 7, 25));
        var stay = await Json(await officer.GetAsync($"{Registrations}/{c["subjectId"]}"));
        var confirm = await officer.PostAsJsonAsync($"{Registrations}/{c["subjectId"]}/confirm",
            new { version = (int)stay["version"]!, stationCode = "650102000001", stationName = "天山派出所", officerName = "阿依古丽" });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Factory.Clock.SetToday(new DateOnly(2026, 8, 3));
        await chief.PostAsJsonAsync($"{Compliance}/sweep", new { });

        var closed = await Json(await chief.GetAsync($"{Compliance}/cases/{id}"));
        Assert.Equal("closed", (string?)closed["state"]);
        Assert.Equal("corrected", (string?)closed["outcome"]);
        Assert.Null(closed["fineYuan"]);
        Assert.Equal(["opened", "ordered", "corrected"], closed["events"]!.AsArray().Select(e => (string?)e!["kind"]));
    }

    [SkippableFact]
    public async Task Decision_Shanxi_PersonHasNoFineInThePolicy_IsRefusedWithTheArticle()
    {
        var (chief, c) = await OverdueCaseAsync("140105", "140105000001");
        using var _ = chief;
        Assert.Equal("shanxi-2017#33", (string?)c["sanction"]!["basis"]);

        var fine = await chief.PostAsJsonAsync($"{Compliance}/cases/{c["id"]}/decision", new { version = (int)c["version"]!, outcome = "fine", fineYuan = 100 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, fine.StatusCode);
        var problem = await Json(fine);
        Assert.Equal(70004, (int)problem["errorCode"]!);
        Assert.Contains("第三十三条", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Cases_OutsideTheJurisdiction_AreNotFound()
    {
        var (chief, c) = await OverdueCaseAsync("140105", "140105000001");
        using var _ = chief;
        using var other = await Staff(Roles.Officer, "650102", "650102000001");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{Compliance}/cases/{c["id"]}")).StatusCode);
        var decide = await other.PostAsJsonAsync($"{Compliance}/cases/{c["id"]}/decision", new { version = (int)c["version"]!, outcome = "dismissed", reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, decide.StatusCode);
    }

    /// <summary>A stay reported by a landlord (not declared by the person), left past its due day, swept: its case.</summary>
    private async Task<(HttpClient Chief, JsonNode Case)> OverdueCaseAsync(string division, string station)
    {
        using var reporter = await Staff(Roles.Reporter, "", "");
        var chief = await Staff(Roles.StationChief, division, station);
        Factory.Clock.SetToday(new DateOnly(2026, 6, 15));
        var stay = await Declare(reporter, division, "2026-06-10");
        Factory.Clock.SetToday(new DateOnly(2026, 7, 10));
        var swept = await chief.PostAsJsonAsync($"{Compliance}/sweep", new { });
        Assert.True(swept.IsSuccessStatusCode, await swept.Content.ReadAsStringAsync());
        var found = Assert.Single(await CasesOf(chief, (string)stay["id"]!));
        return (chief, await Json(await chief.GetAsync($"{Compliance}/cases/{found["id"]}")));
    }

    /// <summary>Tokens live an hour from "now" and these tests move the clock by months: issued with the clock far ahead.</summary>
    private Task<HttpClient> Staff(string role, string division, string station)
    {
        Factory.Clock.SetToday(new DateOnly(2040, 1, 1));
        return Factory.ClientAsAsync(role, division, station);
    }

    private static async Task<List<JsonNode>> CasesOf(HttpClient chief, params string[] stays)
    {
        var list = await Json(await chief.GetAsync($"{Compliance}/cases?pageSize=200"));
        var all = list["items"]!.AsArray().Select(i => i!).ToList();
        var result = new List<JsonNode>();
        foreach (var i in all)
        {
            var detail = await Json(await chief.GetAsync($"{Compliance}/cases/{i["id"]}"));
            if (stays.Contains((string?)detail["subjectId"]))
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static async Task<JsonNode> Declare(HttpClient client, string division, string arrivedOn)
    {
        var body = TestData.Declaration(residenceDivision: division, arrivedOn: arrivedOn);
        if (division != "140105")
        {
            body["residenceAddress"] = $"测试路{Guid.NewGuid():N}号";
        }

        var response = await client.PostAsJsonAsync(Registrations, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}

public sealed class SqliteComplianceTests(SqliteAppFixture fixture)
    : ComplianceTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresComplianceTests(PostgresAppFixture fixture)
    : ComplianceTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
