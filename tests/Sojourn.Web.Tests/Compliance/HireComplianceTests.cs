using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Reporting;
using Sojourn.Web.Tests.Infrastructure;
using Sojourn.Web.Tests.Reporting;

namespace Sojourn.Web.Tests.Compliance;

/// <summary>
/// Unreported hires (ADR 0009): a declaration naming a 用人单位 and a 入职日期, with no hire report from that employer,
/// becomes one case against the employer once past the policy's due day (山西2017 第十五条 / 第三十五条; 宁夏2013 第十二条 /
/// 第四十三条, the fine only after an ignored order); a second sweep and a late hire report filed afterwards open nothing
/// twice; an on-time hire report opens nothing; bad employer input is refused with the field named, nothing saved.
/// </summary>
public abstract class HireComplianceTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private const string Registrations = "/api/v1/registrations";
    private const string Compliance = "/api/v1/compliance";

    [SkippableFact]
    public async Task UnreportedHire_Shanxi_OpensOneCaseWithArticle15AndTheFineRange_AndALateReportOpensNothingTwice()
    {
        var (chief, collector, employer, establishment, code) = await SetUpAsync("140105", "140105000001");
        using var disposeChief = chief;
        using var disposeCollector = collector;
        using var disposeEmployer = employer;

        // Declared on 2026-06-15 by the collector: hired 15 days ago by the employer, which never reported the hire.
        Factory.Clock.SetToday(new DateOnly(2026, 6, 15));
        var idNumber = TestData.NewIdNumber();
        await DeclareAsync(collector, "140105", idNumber, code, "2026-05-31");

        var first = await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }));
        var cases = await CasesAsync(chief, establishment);
        var c = Assert.Single(cases);
        Assert.Equal("report", (string?)c["source"]);
        Assert.Equal("employer.report-hire", (string?)c["duty"]);
        Assert.Equal("employer", (string?)c["party"]);
        Assert.Equal("overdue", (string?)c["dutyStatus"]);
        Assert.Equal("shanxi-2017#15", (string?)c["dutyBasis"]);
        Assert.Equal("2026-06-10", (string?)c["due"]); // 自聘用之日起10日内
        Assert.Equal("shanxi-2017#35", (string?)c["sanction"]!["basis"]);
        Assert.Equal(300, (int)c["sanction"]!["fine"]!["minYuan"]!);
        Assert.Equal(500, (int)c["sanction"]!["fine"]!["maxYuan"]!);
        Assert.Equal(code, (string?)c["hire"]!["employerCode"]);
        Assert.Equal("2026-05-31", (string?)c["hire"]!["hiredOn"]);
        Assert.NotNull(c["engine"]!["policyHashes"]!["shanxi-2017"]);
        Assert.True((int)first["opened"]! >= 1);

        var second = await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }));
        Assert.Equal(0, (int)second["opened"]!);

        // The employer reports the hire afterwards, late: the late path keys it the same way, nothing new is opened.
        Factory.Clock.SetToday(new DateOnly(2026, 6, 20));
        var late = await ReportAsync(employer, establishment, "2026-05-31", idNumber);
        Assert.Equal("late", (string?)late["timeliness"]!["status"]);
        Assert.Equal("employer.report-hire", (string?)late["timeliness"]!["dutyId"]);
        await chief.PostAsJsonAsync($"{Compliance}/sweep", new { });
        var after = await CasesAsync(chief, establishment);
        Assert.Equal((long)c["id"]!, (long)Assert.Single(after)["id"]!);
    }

    [SkippableFact]
    public async Task HireReportedInTime_Shanxi_OpensNothing()
    {
        var (chief, collector, employer, establishment, code) = await SetUpAsync("140105", "140105000001");
        using var disposeChief = chief;
        using var disposeCollector = collector;
        using var disposeEmployer = employer;

        Factory.Clock.SetToday(new DateOnly(2026, 6, 15));
        var idNumber = TestData.NewIdNumber();
        var report = await ReportAsync(employer, establishment, "2026-06-12", idNumber);
        Assert.Equal("met", (string?)report["timeliness"]!["status"]);
        Assert.Equal("employer.report-hire", (string?)report["timeliness"]!["dutyId"]);
        Assert.Equal("shanxi-2017#15", (string?)report["timeliness"]!["basis"]);

        // The stay the report declared names the employer and the hire day; the person also declares a home naming it.
        var stay = await Json(await chief.GetAsync($"{Registrations}/{report["registrationId"]}"));
        Assert.Equal(code, (string?)stay["record"]!["employer"]!["code"]);
        Assert.Equal("2026-06-12", (string?)stay["record"]!["hiredOn"]);
        await DeclareAsync(collector, "140105", idNumber, code, "2026-06-12");

        Factory.Clock.SetToday(new DateOnly(2026, 7, 25));
        await chief.PostAsJsonAsync($"{Compliance}/sweep", new { });
        Assert.Empty(await CasesAsync(chief, establishment));
    }

    [SkippableFact]
    public async Task UnreportedHire_Ningxia_FineOnlyAfterAnIgnoredOrder_TheCaseWaitsForTheOrdersLimit()
    {
        var (chief, collector, employer, establishment, code) = await SetUpAsync("640104", "640104000001");
        using var disposeChief = chief;
        using var disposeCollector = collector;
        using var disposeEmployer = employer;

        Factory.Clock.SetToday(new DateOnly(2026, 6, 15));
        await DeclareAsync(collector, "640104", TestData.NewIdNumber(), code, "2026-06-01");
        await chief.PostAsJsonAsync($"{Compliance}/sweep", new { });
        var c = Assert.Single(await CasesAsync(chief, establishment));
        Assert.Equal("ningxia-2013#12", (string?)c["dutyBasis"]);
        Assert.Equal("2026-06-04", (string?)c["due"]); // 3个工作日
        Assert.Equal("ningxia-2013#43", (string?)c["sanction"]!["basis"]);
        Assert.True((bool)c["sanction"]!["fineOnlyIfUncorrected"]!);
        Assert.Equal(500, (int)c["sanction"]!["fine"]!["minYuan"]!);
        Assert.Equal(1000, (int)c["sanction"]!["fine"]!["maxYuan"]!);

        // No fine before an order was ignored; once ordered, the case waits for the order's time limit.
        var id = (long)c["id"]!;
        var early = await chief.PostAsJsonAsync($"{Compliance}/cases/{id}/decision", new { version = (int)c["version"]!, outcome = "fine", fineYuan = 500 });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        var ordered = await Json(await chief.PostAsJsonAsync($"{Compliance}/cases/{id}/order", new { version = (int)c["version"]!, correctBy = "2026-06-30" }));
        Assert.Equal("waiting", (string?)ordered["state"]);
        Assert.Equal("2026-06-30", (string?)ordered["correctBy"]);
    }

    [SkippableTheory]
    [InlineData("unknown", "2026-06-01", "employerCode")]
    [InlineData("landlord", "2026-06-01", "employerCode")]
    [InlineData(null, "2026-06-01", "employerCode")]
    [InlineData("employer", null, "hiredOn")]
    [InlineData("employer", "2026-06-16", "hiredOn")]
    public async Task BadEmployerInput_Is400NamingTheField_AndNothingIsSaved(string? codeOf, string? hiredOn, string field)
    {
        var (chief, collector, employer, _, code) = await SetUpAsync("140105", "140105000001");
        using var disposeChief = chief;
        using var disposeCollector = collector;
        using var disposeEmployer = employer;
        var (landlordClient, landlord, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord, "140105", "individual");
        landlordClient.Dispose();
        var given = codeOf switch
        {
            "unknown" => "NOPE" + Guid.NewGuid().ToString("N")[..8],
            "landlord" => await CodeOfAsync(landlord),
            "employer" => code,
            _ => null,
        };

        Factory.Clock.SetToday(new DateOnly(2026, 6, 15));
        var idNumber = TestData.NewIdNumber();
        var body = TestData.Declaration(idNumber: idNumber, residenceDivision: "140105", arrivedOn: "2026-06-01");
        body["employerCode"] = given;
        body["hiredOn"] = hiredOn;
        var response = await collector.PostAsJsonAsync(Registrations, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), errors.ToJsonString());

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var hmac = scope.ServiceProvider.GetRequiredService<Sojourn.Data.Security.IdentityProtector>().LookupHash(idNumber);
        Assert.False(await db.Registrations.IgnoreQueryFilters().AnyAsync(r => r.PersonIdHmac == hmac));
    }

    /// <summary>
    /// 变更 of the employer keeps history: a change naming an unknown code is refused with <c>changes.employerCode</c>; a
    /// change clearing the employer (an empty code) leaves the earlier version with the employer and hire day.
    /// </summary>
    [SkippableFact]
    public async Task ChangingTheEmployer_IsCheckedAndKeepsTheEarlierVersion()
    {
        var (chief, collector, employer, _, code) = await SetUpAsync("140105", "140105000001");
        using var disposeChief = chief;
        using var disposeCollector = collector;
        using var disposeEmployer = employer;
        Factory.Clock.SetToday(new DateOnly(2026, 6, 15));
        var stay = await DeclareAsync(collector, "140105", TestData.NewIdNumber(), code, "2026-06-10");
        var id = (string)stay["id"]!;

        var unknown = await collector.PostAsJsonAsync($"{Registrations}/{id}/changes",
            new { version = (int)stay["version"]!, reason = "换工作", changes = new { employerCode = "NOPE0000", hiredOn = "2026-06-14" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.NotNull((await Json(unknown))["errors"]!["changes.employerCode"]);

        var cleared = await collector.PostAsJsonAsync($"{Registrations}/{id}/changes",
            new { version = (int)stay["version"]!, reason = "离职", changes = new { employerCode = "" } });
        Assert.True(cleared.IsSuccessStatusCode, await cleared.Content.ReadAsStringAsync());
        var current = await Json(await collector.GetAsync($"{Registrations}/{id}"));
        Assert.Null(current["record"]!["employer"]);
        Assert.Null(current["record"]!["hiredOn"]);
        var versions = (await Json(await collector.GetAsync($"{Registrations}/{id}/versions"))).AsArray();
        Assert.Equal(code, (string?)versions[0]!["record"]!["employer"]!["code"]);
        Assert.Equal("2026-06-10", (string?)versions[0]!["record"]!["hiredOn"]);
        Assert.Null(versions[^1]!["record"]!["employer"]);
    }

    /// <summary>A chief and a collector of the station, and an employer establishment with its reporter (tokens issued far ahead).</summary>
    private async Task<(HttpClient Chief, HttpClient Collector, HttpClient Employer, Guid Establishment, string Code)> SetUpAsync(string division, string station)
    {
        Factory.Clock.SetToday(new DateOnly(2040, 1, 1));
        var chief = await Factory.ClientAsAsync(Roles.StationChief, division, station);
        var collector = await Factory.ClientAsAsync(Roles.Collector, division, station);
        var (employer, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Employer, division, "organization");
        return (chief, collector, employer, establishment, await CodeOfAsync(establishment));
    }

    private async Task<string> CodeOfAsync(Guid establishment)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.Establishments.Where(e => e.Id == establishment).Select(e => e.Code).SingleAsync();
    }

    private static async Task<JsonNode> DeclareAsync(HttpClient client, string division, string idNumber, string employerCode, string hiredOn)
    {
        var body = TestData.Declaration(idNumber: idNumber, residenceDivision: division, arrivedOn: "2026-05-20");
        body["residenceAddress"] = $"测试路{Guid.NewGuid():N}号";
        body["employerCode"] = employerCode;
        body["hiredOn"] = hiredOn;
        var response = await client.PostAsJsonAsync(Registrations, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var stay = await Json(response);
        Assert.Equal(employerCode, (string?)stay["record"]!["employer"]!["code"]);
        Assert.Equal(hiredOn, (string?)stay["record"]!["hiredOn"]);
        return stay;
    }

    /// <summary>The employer's report of a hire on <paramref name="hiredOn"/> (its event day).</summary>
    private static async Task<JsonNode> ReportAsync(HttpClient employer, Guid establishment, string hiredOn, string idNumber)
    {
        var body = ReportingScenario.Arrival(establishment, hiredOn, idNumber);
        body["person"]!["lodging"] = "employer-dormitory"; // an employer implies no lodging
        var response = await employer.PostAsJsonAsync(ReportingScenario.Base, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    /// <summary>The cases against this test's establishment, in detail.</summary>
    private static async Task<List<JsonNode>> CasesAsync(HttpClient chief, Guid establishment)
    {
        var list = await Json(await chief.GetAsync($"{Compliance}/cases?pageSize=200"));
        var result = new List<JsonNode>();
        foreach (var i in list["items"]!.AsArray().Where(i => (string?)i!["source"] == "report"))
        {
            var detail = await Json(await chief.GetAsync($"{Compliance}/cases/{i!["id"]}"));
            if ((string?)detail["subjectId"] == establishment.ToString())
            {
                result.Add(detail);
            }
        }

        return result;
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}

public sealed class SqliteHireComplianceTests(SqliteAppFixture fixture)
    : HireComplianceTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresHireComplianceTests(PostgresAppFixture fixture)
    : HireComplianceTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
