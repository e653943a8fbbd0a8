using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.TestSupport;
using Sojourn.Web.Tests.Infrastructure;
using Sojourn.Web.Tests.Permits;

namespace Sojourn.Web.Tests.Compliance;

/// <summary>
/// A permit holder who settled 常住户口 or died (issue 14): the station records the fact on the permit (history, its
/// jurisdiction, refused with the field named when the day is ahead), and the sweep opens the station's follow-up once
/// the holder's period has run out (山西2017 第十八条第三款: 10 days), once only, and closes it when the permit is
/// cancelled; policies silent on it (宁夏, 新疆) open nothing. Over HTTP, on SQLite and PostgreSQL.
/// </summary>
public abstract class SettlementSourceTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private const string Registrations = "/api/v1/registrations";
    private const string Permits = "/api/v1/permits";
    private const string Compliance = "/api/v1/compliance";

    [SkippableFact]
    public async Task SettledTwelveDaysAgo_OneCaseCitingArticle18_OnceOnly_ClosedWhenThePermitIsCancelled()
    {
        var (officer, chief, permit) = await HolderAsync("140105", "140105000001");
        using var _ = officer;
        using var __ = chief;

        Factory.Clock.SetToday(new DateOnly(2026, 7, 15));
        var recorded = await Json(await Record(officer, permit, new { kind = "settled", on = "2026-07-03", hukouDivisionCode = "140105", documentRef = "准予迁入证明 晋2026-0701" }), HttpStatusCode.Created);
        Assert.Equal("2026-07-13", (string?)recorded["followUp"]!["due"]); // 自登记为常住户口之日起10日内: Saturday 07-11, the next working day
        Assert.Equal("shanxi-2017#18", (string?)recorded["followUp"]!["basis"]);

        var first = await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }), HttpStatusCode.OK);
        var c = Assert.Single(await CasesAsync(chief, permit));
        var second = await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }), HttpStatusCode.OK);
        var again = await CasesAsync(chief, permit);

        Assert.True((int)first["opened"]! >= 1);
        Assert.Equal(0, (int)second["opened"]!);
        Assert.Equal((long)c["id"]!, (long)Assert.Single(again)["id"]!);
        Assert.Equal("permit-settle", (string?)c["source"]);
        Assert.Equal("station.cancel-permit", (string?)c["duty"]);
        Assert.Equal("station", (string?)c["party"]);
        Assert.Equal("shanxi-2017#18", (string?)c["dutyBasis"]);
        Assert.Equal("2026-07-13", (string?)c["due"]);
        Assert.Equal("overdue", (string?)c["dutyStatus"]);
        Assert.Null(c["sanction"]!["basis"]); // nothing fines the holder for it
        Assert.Equal("settled", (string?)c["fact"]!["kind"]);
        Assert.Equal("2026-07-03", (string?)c["fact"]!["on"]);
        Assert.Contains("第三款", (string?)c["fact"]!["note"], StringComparison.Ordinal);

        // The station cancels the permit: the next sweep closes the case as done on that day.
        var version = (int)(await Json(await officer.GetAsync($"{Permits}/{permit}")))["version"]!;
        await Json(await officer.PostAsJsonAsync($"{Permits}/{permit}/cancel", new { version, ground = "settled", effectiveOn = "2026-07-03" }), HttpStatusCode.OK);
        await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }), HttpStatusCode.OK);
        var closed = Assert.Single(await CasesAsync(chief, permit));
        Assert.Equal("closed", (string?)closed["state"]);
        Assert.Equal("corrected", (string?)closed["outcome"]);
        Assert.Equal("2026-07-15", (string?)closed["doneOn"]);
    }

    [SkippableFact]
    public async Task SettledFiveDaysAgo_NothingYet()
    {
        var (officer, chief, permit) = await HolderAsync("140105", "140105000001");
        using var _ = officer;
        using var __ = chief;

        Factory.Clock.SetToday(new DateOnly(2026, 7, 6));
        await Json(await Record(officer, permit, new { kind = "settled", on = "2026-07-01", hukouDivisionCode = "140105", documentRef = "准予迁入证明 5" }), HttpStatusCode.Created);
        await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }), HttpStatusCode.OK);

        Assert.Empty(await CasesAsync(chief, permit));
    }

    [SkippableFact]
    public async Task Died_Shanxi2017_OpenOnTheDayOfDeath_NoPeriodRuns()
    {
        var (officer, chief, permit) = await HolderAsync("140105", "140105000001");
        using var _ = officer;
        using var __ = chief;

        Factory.Clock.SetToday(new DateOnly(2026, 7, 13));
        await Json(await Record(officer, permit, new { kind = "died", on = "2026-07-12", documentRef = "死亡医学证明 2026-77" }), HttpStatusCode.Created);
        await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }), HttpStatusCode.OK);

        var c = Assert.Single(await CasesAsync(chief, permit));
        Assert.Equal("shanxi-2017#18", (string?)c["dutyBasis"]);
        Assert.Equal("2026-07-12", (string?)c["due"]);
        Assert.Equal("open", (string?)c["dutyStatus"]);
        Assert.Equal("died", (string?)c["fact"]!["kind"]);
    }

    [SkippableTheory]
    [InlineData("640104", "640104000001", "settled")] // 宁夏 第七条 defers to national rules; cn-2016 says nothing of cancellation
    [InlineData("640104", "640104000001", "died")]
    [InlineData("650102", "650102000001", "settled")] // 新疆 item 23: the police's own rules, not in the seeds
    public async Task SilentPolicy_OpensNothing(string division, string station, string kind)
    {
        var (officer, chief, permit) = await HolderAsync(division, station);
        using var _ = officer;
        using var __ = chief;

        Factory.Clock.SetToday(new DateOnly(2026, 7, 13));
        var recorded = await Json(await Record(officer, permit, new { kind, on = "2026-07-01", hukouDivisionCode = division, documentRef = "文书 1" }), HttpStatusCode.Created);
        Assert.Null(recorded["followUp"]);
        await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }), HttpStatusCode.OK);

        Assert.Empty(await CasesAsync(chief, permit));
    }

    [SkippableFact]
    public async Task OfficerOfAnotherStation_CannotRecord_NothingSaved()
    {
        var (officer, chief, permit) = await HolderAsync("140105", "140105000001");
        using var _ = officer;
        using var __ = chief;
        Factory.Clock.SetToday(new DateOnly(2040, 1, 1));
        using var other = await Factory.ClientAsAsync(Roles.Officer, "650102", "650102000001");

        Factory.Clock.SetToday(new DateOnly(2026, 7, 13));
        var response = await Record(other, permit, new { kind = "died", on = "2026-07-01", documentRef = "越权" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await FactsAsync(permit));
    }

    [SkippableFact]
    public async Task FutureDay_400NamingTheField_NothingSaved()
    {
        var (officer, chief, permit) = await HolderAsync("140105", "140105000001");
        using var _ = officer;
        using var __ = chief;

        Factory.Clock.SetToday(new DateOnly(2026, 7, 13));
        var response = await Record(officer, permit, new { kind = "settled", on = "2026-07-14", hukouDivisionCode = "140105", documentRef = "明天" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.NotNull(problem["errors"]!["on"]);
        Assert.Equal(0, await FactsAsync(permit));
    }

    [SkippableFact]
    public async Task Correction_SupersedesWithAReason_TheOldRowStays()
    {
        var (officer, chief, permit) = await HolderAsync("140105", "140105000001");
        using var _ = officer;
        using var __ = chief;

        Factory.Clock.SetToday(new DateOnly(2026, 7, 13));
        var first = await Json(await Record(officer, permit, new { kind = "settled", on = "2026-07-02", hukouDivisionCode = "140105", documentRef = "迁入 A" }), HttpStatusCode.Created);
        var twice = await Record(officer, permit, new { kind = "settled", on = "2026-07-01", hukouDivisionCode = "140105", documentRef = "迁入 B" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(70030, (int)(await Json(twice))["errorCode"]!);
        var noReason = await Record(officer, permit, new { kind = "settled", on = "2026-07-01", hukouDivisionCode = "140105", documentRef = "迁入 B", supersedesId = (long)first["id"]! });
        Assert.NotNull((await Json(noReason))["errors"]!["reason"]);

        var corrected = await Json(await Record(officer, permit, new
        {
            kind = "settled",
            on = "2026-07-01",
            hukouDivisionCode = "140105",
            documentRef = "迁入 B",
            supersedesId = (long)first["id"]!,
            reason = "日期录错",
        }), HttpStatusCode.Created);
        var list = (await Json(await officer.GetAsync($"{Permits}/{permit}/holder-facts"))).AsArray();

        Assert.Equal(2, list.Count);
        Assert.Equal((long)corrected["id"]!, (long)list[0]!["id"]!);
        Assert.True((bool)list[0]!["current"]!);
        Assert.False((bool)list[1]!["current"]!);
        Assert.Equal("2026-07-02", (string?)list[1]!["on"]);
    }

    [SkippableFact]
    public async Task Withdrawal_OnlyAsACorrectionWithAReason_AndNothingFollowsFromIt()
    {
        var (officer, chief, permit) = await HolderAsync("140105", "140105000001");
        using var _ = officer;
        using var __ = chief;

        Factory.Clock.SetToday(new DateOnly(2026, 7, 1));
        var alone = await Record(officer, permit, new { kind = "withdrawn", documentRef = "核查记录 1" });
        Assert.Equal(HttpStatusCode.BadRequest, alone.StatusCode);
        Assert.NotNull((await Json(alone))["errors"]!["kind"]);
        Assert.Equal(0, await FactsAsync(permit));

        var died = await Json(await Record(officer, permit, new { kind = "died", on = "2026-06-30", documentRef = "死亡医学证明 2026-88" }), HttpStatusCode.Created);
        var withdrawn = await Json(await Record(officer, permit, new
        {
            kind = "withdrawn",
            documentRef = "核查记录 2",
            supersedesId = (long)died["id"]!,
            reason = "同名误登，本人健在",
        }), HttpStatusCode.Created);
        Assert.Equal("2026-07-01", (string?)withdrawn["on"]);
        Assert.Null(withdrawn["followUp"]);
        var again = await Record(officer, permit, new { kind = "withdrawn", documentRef = "核查记录 3", supersedesId = (long)withdrawn["id"]!, reason = "重复" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        Factory.Clock.SetToday(new DateOnly(2026, 8, 1));
        await Json(await chief.PostAsJsonAsync($"{Compliance}/sweep", new { }), HttpStatusCode.OK);
        Assert.Empty(await CasesAsync(chief, permit));
        Assert.Equal(2, await FactsAsync(permit));
    }

    /// <summary>A holder of a permit issued under the policy in force at <paramref name="division"/>, with an officer and the chief there.</summary>
    private async Task<(HttpClient Officer, HttpClient Chief, Guid Permit)> HolderAsync(string division, string station)
    {
        // Signed in "later" so that the sessions outlive the days the test moves the clock through (as the other sweep tests do).
        Factory.Clock.SetToday(new DateOnly(2040, 1, 1));
        var officer = await Factory.ClientAsAsync(Roles.Officer, division, station);
        var chief = await Factory.ClientAsAsync(Roles.StationChief, division, station);
        Factory.Clock.SetToday(new DateOnly(2026, 3, 2));
        var body = TestData.Declaration(residenceDivision: division, arrivedOn: "2026-01-05");
        body["residenceAddress"] = $"测试路{Guid.NewGuid():N}号";
        var stay = await Json(await officer.PostAsJsonAsync(Registrations, body), HttpStatusCode.Created);
        var policy = Sojourn.Rules.Permits.PermitLifecycle.Default.Terms(division, new DateOnly(2026, 3, 2))!.PolicyId;
        var permit = await Factory.InsertIssuedAsync(Guid.Parse((string)stay["id"]!), new DateOnly(2026, 3, 2), policy);
        return (officer, chief, permit);
    }

    private static Task<HttpResponseMessage> Record(HttpClient client, Guid permit, object body) =>
        client.PostAsJsonAsync($"{Permits}/{permit}/holder-facts", body);

    private async Task<int> FactsAsync(Guid permit)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var person = await db.Permits.IgnoreQueryFilters().Where(p => p.Id == permit).Select(p => p.PersonIdHmac).SingleAsync();
        return await db.HolderFacts.IgnoreQueryFilters().CountAsync(f => f.PersonIdHmac == person);
    }

    /// <summary>The settlement cases about this permit, in detail.</summary>
    private static async Task<List<JsonNode>> CasesAsync(HttpClient chief, Guid permit)
    {
        var list = await Json(await chief.GetAsync($"{Compliance}/cases?pageSize=200"));
        var result = new List<JsonNode>();
        foreach (var i in list["items"]!.AsArray().Where(i => (string?)i!["source"] == "permit-settle"))
        {
            var detail = await Json(await chief.GetAsync($"{Compliance}/cases/{i!["id"]}"));
            if ((string?)detail["subjectId"] == permit.ToString())
            {
                result.Add(detail);
            }
        }

        return result;
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected is null ? response.IsSuccessStatusCode || (int)response.StatusCode >= 400 : response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}

public sealed class SqliteSettlementSourceTests(SqliteAppFixture fixture)
    : SettlementSourceTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresSettlementSourceTests(PostgresAppFixture fixture)
    : SettlementSourceTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
